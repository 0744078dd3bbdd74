// Generates the PostgreSQL twin of the data model (`npm run db:pg:generate`).
//
// prisma/schema.prisma (SQLite, the embedded default) is the one source of truth for the models.
// Prisma's schema names a single provider, so PostgreSQL gets a generated copy with the provider
// and the client's output folder swapped, and its own migration history with one folder per SQLite
// folder, under the same name. Run this after changing the models and writing the SQLite migration:
// it rewrites prisma/postgresql/schema.prisma and writes the PostgreSQL migration for every SQLite
// migration folder that has no twin yet (the difference between the PostgreSQL schema before and
// after: the committed twin is the "before"), ready to commit. Hand-written parts (triggers) are added to that file by hand, as the
// SQLite ones were. app/db/migrate/pg-schema.test.ts fails when the two drift apart.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { postgresSchemaFrom } from "../app/db/migrate/pg-schema";

const root = resolve(import.meta.dirname, "..");
const sqliteSchema = join(root, "prisma/schema.prisma");
const pgDir = join(root, "prisma/postgresql");
const pgSchema = join(pgDir, "schema.prisma");
const pgConfig = join(pgDir, "prisma.config.ts");

/** `prisma migrate diff` between two PostgreSQL schema files ("empty" for nothing), as SQL. */
export function diffPostgresSchemas(from: string | "empty", to: string): string {
  const fromArgs = from === "empty" ? ["--from-empty"] : ["--from-schema-datamodel", from];
  return execFileSync(
    join(root, "node_modules/.bin/prisma"),
    ["migrate", "diff", "--config", pgConfig, ...fromArgs, "--to-schema-datamodel", to, "--script"],
    { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
}

function main() {
  const previous = existsSync(pgSchema) ? readFileSync(pgSchema, "utf8") : undefined;
  const next = postgresSchemaFrom(readFileSync(sqliteSchema, "utf8"));
  mkdirSync(pgDir, { recursive: true });

  const sqliteFolders = readdirSync(join(root, "prisma/migrations"), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const missing = sqliteFolders.filter((name) => !existsSync(join(pgDir, "migrations", name, "migration.sql")));
  if (missing.length > 0) {
    const tmp = mkdtempSync(join(tmpdir(), "sincerely-pg-schema-"));
    try {
      const before = join(tmp, "before.prisma");
      const after = join(tmp, "after.prisma");
      // The committed twin is the schema the existing PostgreSQL migrations build; with none yet,
      // the new migration starts from nothing.
      const fromPrevious = previous !== undefined && missing.length < sqliteFolders.length;
      if (fromPrevious) writeFileSync(before, previous);
      writeFileSync(after, next);
      const sql = diffPostgresSchemas(fromPrevious ? before : "empty", after);
      // Several new SQLite migrations at once (branches merged): the schema between them is not
      // known here, so the last one carries the whole difference and the others say so. The
      // database ends the same; each folder still has its twin.
      const last = missing[missing.length - 1]!;
      for (const name of missing) {
        const folder = join(pgDir, "migrations", name);
        mkdirSync(folder, { recursive: true });
        writeFileSync(
          join(folder, "migration.sql"),
          name === last
            ? sql
            : `-- The PostgreSQL changes of this migration are in ${last}/migration.sql (generated together).\n`,
        );
        console.log(`Wrote prisma/postgresql/migrations/${name}/migration.sql`);
      }
      console.log("Add by hand any SQL the SQLite migrations have beyond the models (triggers, backfills).");
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  if (previous !== next) {
    writeFileSync(pgSchema, next);
    console.log("Wrote prisma/postgresql/schema.prisma");
  } else {
    console.log("prisma/postgresql/schema.prisma is up to date");
  }
  const lock = join(pgDir, "migrations", "migration_lock.toml");
  if (!existsSync(lock)) writeFileSync(lock, `# Written by scripts/pg-schema.ts\nprovider = "postgresql"\n`);
}

main();
