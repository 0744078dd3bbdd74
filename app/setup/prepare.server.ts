// Everything a fresh install needs before it serves a page: the database created and
// migrated, the bundled offices loaded, the memo's campaign seeded. Idempotent, so every
// start may run it (workers and commands only migrate: see open-db.server.ts).
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { seedMemoCampaign } from "~/campaigns/campaigns.server";
import { dbProvider, tuneSqlite, type Db } from "~/db.server";
import { ensureFirstOrganizer } from "~/organizers/organizers.server";
import { ensureTargetsLoaded } from "~/targets/import.server";
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

export async function prepareDatabase(
  db: Db,
  config: { DATABASE_URL: string; ADMIN_EMAIL?: string; ADMIN_PASSWORD?: string; TEST_INBOX?: string },
  log: (m: string) => void = console.log,
) {
  const databaseUrl = config.DATABASE_URL;
  await ensureMigrated(db, databaseUrl);
  const loaded = await ensureTargetsLoaded(db);
  if (loaded) log(`Loaded the bundled offices and ZIP codes: ${JSON.stringify(loaded)}`);
  const campaign = await seedMemoCampaign(db, {
    testInbox: config.TEST_INBOX ?? config.ADMIN_EMAIL,
    explicit: config.TEST_INBOX !== undefined,
  });
  log(
    `Campaign live at /c/${campaign.slug} (${campaign.mode} mode` +
      (campaign.mode === "test" ? `: letters go to ${campaign.testInbox ?? "nobody, they are held"})` : ")"),
  );
  const admin = await ensureFirstOrganizer(db, config.ADMIN_EMAIL, config.ADMIN_PASSWORD);
  if (admin) log(`Organizer account: ${admin.email} (sign in at /admin)`);
  else if ((await db.organizer.count()) === 0) {
    log("No organizer account yet: set ADMIN_EMAIL and ADMIN_PASSWORD to create the first one.");
  }
}
