// Applies the committed PostgreSQL migrations (prisma/postgresql/migrations) without Prisma's
// native migration engine, which cannot be downloaded on an offline machine (and the JavaScript
// engine cannot apply migrations to PostgreSQL in Prisma 6.19; see README "Deployment").
//
// It keeps Prisma's own ledger, so a deployment that does have the native engine can switch to
// `prisma migrate deploy` (or run `prisma migrate status`) at any time and agree with it:
// - the same table, "_prisma_migrations", with Prisma's columns and types;
// - the same lock: Prisma's advisory lock key, so this and `prisma migrate deploy` exclude each other;
// - the same records: a row written when a migration starts, finished_at and applied_steps_count
//   when it ends, the error in logs when it fails, checksum = SHA-256 (hex) of migration.sql.
// Unlike Prisma, each migration runs in one transaction, so a failed one leaves nothing half-done.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import pg from "pg";

export const POSTGRES_MIGRATIONS_DIR = "prisma/postgresql/migrations";

/** The key Prisma's migration engine takes `pg_advisory_lock` on. */
export const PRISMA_ADVISORY_LOCK_KEY = 72707369;

export interface LocalMigration {
  name: string;
  sql: string;
  checksum: string;
}

export function migrationChecksum(sql: string): string {
  return createHash("sha256").update(sql).digest("hex");
}

export function readLocalMigrations(dir = POSTGRES_MIGRATIONS_DIR): LocalMigration[] {
  const root = resolve(dir);
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(root, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(root, name, "migration.sql"), "utf8");
      return { name, sql, checksum: migrationChecksum(sql) };
    });
}

interface LedgerRow {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
}

// Prisma's DDL for its ledger on PostgreSQL, column for column.
const CREATE_LEDGER = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export class MigrationError extends Error {}

/** Refuses when the ledger and the committed files disagree; returns the migrations still to apply. */
export function planMigrations(local: LocalMigration[], ledger: LedgerRow[]): LocalMigration[] {
  const failed = ledger.filter((r) => r.finished_at === null && r.rolled_back_at === null);
  if (failed.length > 0) {
    const f = failed[0]!;
    throw new MigrationError(
      `Migration ${f.migration_name} failed earlier and the database is marked as half-migrated` +
        (f.logs ? `:\n${f.logs}\n` : ". ") +
        `Its transaction was rolled back, so nothing of it is in the database. Fix the cause, then mark it ` +
        `rolled back (\`npx prisma migrate resolve --rolled-back ${f.migration_name}\`, or ` +
        `UPDATE "_prisma_migrations" SET "rolled_back_at" = now() WHERE "id" = '${f.id}') and migrate again.`,
    );
  }
  const applied = ledger.filter((r) => r.finished_at !== null && r.rolled_back_at === null);
  const byName = new Map(local.map((m) => [m.name, m]));
  for (const row of applied) {
    const mine = byName.get(row.migration_name);
    if (mine && mine.checksum !== row.checksum) {
      throw new MigrationError(
        `Migration ${row.migration_name} was changed after it was applied to this database ` +
          `(checksum ${row.checksum} recorded, ${mine.checksum} in ${POSTGRES_MIGRATIONS_DIR}/${row.migration_name}/migration.sql). ` +
          `Restore the file as it was applied, and put the change in a new migration.`,
      );
    }
  }
  const done = new Set(applied.map((r) => r.migration_name));
  return local.filter((m) => !done.has(m.name));
}

async function readLedger(client: pg.ClientBase): Promise<LedgerRow[] | null> {
  const exists = await client.query<{ t: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS t`);
  if (!exists.rows[0]?.t) return null;
  const { rows } = await client.query<LedgerRow>(
    `SELECT "id", "checksum", "migration_name", "finished_at", "rolled_back_at", "logs" FROM "_prisma_migrations" ORDER BY "started_at"`,
  );
  return rows;
}

/** The committed migrations this database has not applied yet (no lock taken: a quick check). */
export async function pendingPostgresMigrations(url: string, dir = POSTGRES_MIGRATIONS_DIR): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const ledger = await readLedger(client);
    return planMigrations(readLocalMigrations(dir), ledger ?? []).map((m) => m.name);
  } finally {
    await client.end();
  }
}

/**
 * Applies what is pending, in name order, each in its own transaction, holding Prisma's advisory
 * lock throughout so that several processes starting at once migrate once. Returns the names applied.
 */
export async function migratePostgres(
  url: string,
  { dir = POSTGRES_MIGRATIONS_DIR, log = console.log }: { dir?: string; log?: (m: string) => void } = {},
): Promise<string[]> {
  const local = readLocalMigrations(dir);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query(`SELECT pg_advisory_lock($1)`, [PRISMA_ADVISORY_LOCK_KEY]);
    try {
      await client.query(CREATE_LEDGER);
      // Read after taking the lock: another process may have migrated while we waited.
      const pending = planMigrations(local, (await readLedger(client)) ?? []);
      for (const migration of pending) {
        const id = randomUUID();
        await client.query(
          `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "applied_steps_count")
           VALUES ($1, $2, $3, now(), 0)`,
          [id, migration.checksum, migration.name],
        );
        try {
          await client.query("BEGIN");
          // No parameters: the simple query protocol runs the whole file, statement by statement.
          await client.query(migration.sql);
          // Marked finished in the same transaction: a crash can leave the migration either wholly
          // applied and recorded, or not applied and recorded as started (which is refused, truthfully).
          await client.query(
            `UPDATE "_prisma_migrations" SET "finished_at" = now(), "applied_steps_count" = 1 WHERE "id" = $1`,
            [id],
          );
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK").catch(() => undefined);
          const message = error instanceof Error ? error.message : String(error);
          const logs = `Migration ${migration.name} failed and was rolled back: ${message}`;
          await client.query(`UPDATE "_prisma_migrations" SET "logs" = $2 WHERE "id" = $1`, [id, logs]);
          throw new MigrationError(logs);
        }
        applied.push(migration.name);
        log(`Applied migration ${migration.name}`);
      }
    } finally {
      await client.query(`SELECT pg_advisory_unlock($1)`, [PRISMA_ADVISORY_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
  return applied;
}
