// Migrating at start-up: SQLite through Prisma's CLI (its JavaScript engine works offline),
// PostgreSQL through our own applier (pg-migrate.server.ts). Idempotent and cheap when nothing
// is pending, so every process may call it as it starts.
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { dbProvider, tuneSqlite, type Db } from "~/db/client.server";
import { migratePostgres } from "./pg-migrate.server";

/**
 * The committed migrations this database has not applied, read from Prisma's own ledger.
 * Checked before migrating so that a worker or a command started beside a running app does
 * not run the migration engine at all (it needs the database to itself).
 */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const committed = readdirSync(resolve("prisma/migrations"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  let applied = new Set<string>();
  try {
    const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`,
    );
    applied = new Set(rows.map((r) => r.migration_name));
  } catch {
    // No ledger yet: a new database.
  }
  return committed.filter((name) => !applied.has(name));
}

/** Migrates when something is pending, then sets SQLite up for a shared file. */
export async function ensureMigrated(db: Db, databaseUrl: string): Promise<void> {
  if (dbProvider(db) === "postgresql") {
    // Our own applier (see pg-migrate.server.ts): it takes the lock and reads the ledger itself,
    // so many web and worker processes may start at once.
    await migratePostgres(databaseUrl, { log: (m) => console.log(`[db] ${m}`) });
    return;
  }
  if ((await pendingMigrations(db)).length > 0) migrateDatabase(databaseUrl);
  await tuneSqlite(db);
}

/** Applies the committed migrations with Prisma's CLI (JavaScript engine: works offline). */
export function migrateDatabase(databaseUrl: string): void {
  const prisma = resolve("node_modules/.bin/prisma");
  try {
    execFileSync(prisma, ["migrate", "deploy"], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: "pipe",
    });
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(
      `Could not migrate the database (${databaseUrl.split("?")[0]}):\n${e.stdout ?? ""}${e.stderr ?? ""}`,
    );
  }
}
