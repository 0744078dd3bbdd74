// A real PostgreSQL database per test file: created with a unique name on the server at
// PG_TEST_URL (default 127.0.0.1:5432, user postgres), migrated with our applier, dropped after.
//
// PostgreSQL is part of the suite: when it cannot be reached the tests FAIL with a message saying
// so. Set PG_TESTS=off to leave them out on purpose (they are then reported as skipped).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDb, pgPoolOf, type Db } from "~/db/client.server";
import { migratePostgres } from "~/db/migrate/pg-migrate.server";

export const PG_SERVER_URL = process.env.PG_TEST_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const pgTestsOff = process.env.PG_TESTS === "off";

export interface PgTestDb {
  db: Db;
  url: string;
  name: string;
  cleanup(): Promise<void>;
}

/** The URL of another database on the same server. */
export function databaseUrl(name: string, server = PG_SERVER_URL): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function adminQuery<T extends pg.QueryResultRow = pg.QueryResultRow>(
  sql: string,
  params: unknown[] = [],
  url = PG_SERVER_URL,
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${url.replace(/\/\/[^@]*@/, "//")} (${(error as Error).message}). ` +
        `The suite runs against both databases: start PostgreSQL, point PG_TEST_URL at one, ` +
        `or set PG_TESTS=off to leave the PostgreSQL tests out on purpose.`,
    );
  }
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** An empty database with a unique name; `migrate: false` leaves it without tables. */
export async function createPgTestDb({ migrate = true } = {}): Promise<PgTestDb> {
  const name = `sincerely_t_${randomBytes(6).toString("hex")}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = databaseUrl(name);
  if (migrate) await migratePostgres(url, { log: () => undefined });
  const db = createDb(url);
  return {
    db,
    url,
    name,
    async cleanup() {
      await db.$disconnect();
      // $disconnect ends the pool only if Prisma itself connected; the rate limits use it directly.
      const pool = pgPoolOf(db);
      if (pool && !pool.ending) await pool.end();
      await dropPgDatabase(name);
    },
  };
}

export async function dropPgDatabase(name: string): Promise<void> {
  // FORCE: a worker process the test killed may leave a connection behind for a moment.
  await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}
