// The rate limits' counters on the direct road: rate-limiter-flexible's SQLite and PostgreSQL
// stores count with one upsert each, on the direct road's SQLite connection (statements prepared
// once, ~/db/direct/sqlite.server) or the client's PostgreSQL pool. Its Prisma store took two
// queries a count, each compiled by Prisma, and a signature counts twice (bench/README.md).
import { RateLimiterPostgres, RateLimiterSQLite, type RateLimiterStoreAbstract } from "rate-limiter-flexible";
import { pgPoolOf, sqliteFileOf, type Db } from "~/db/client.server";
import { sqliteStatementsOnce } from "~/db/direct/sqlite.server";

/**
 * Runs a store's call again while SQLite says another writer holds the lock: the direct road's
 * connection gives up at once rather than block the event loop (see ~/db/direct/sqlite.server).
 */
export { withBusyRetry } from "~/db/direct/sqlite.server";

/** The table the stores write to (created by a migration, so the stores never create it). */
const TABLE = "RateLimit";

/** The store of one limit (`name`: the keys' prefix), on the client's database. */
export function rateLimitStore(db: Db, name: string, points: number, duration: number): RateLimiterStoreAbstract {
  // Expired counts are swept by sweepExpired, through Prisma (the stores' own sweep timers
  // would write on the shared connection outside withBusyRetry; see ~/db/direct/sqlite.server).
  const common = {
    tableName: TABLE,
    tableCreated: true,
    keyPrefix: name,
    points,
    duration,
    clearExpiredByTimeout: false,
  };
  const file = sqliteFileOf(db);
  if (file)
    return new RateLimiterSQLite({ ...common, storeClient: sqliteStatementsOnce(file), storeType: "better-sqlite3" });
  const pool = pgPoolOf(db);
  if (!pool) throw new Error("Rate limits: the database client was not made by createDb");
  return new RateLimiterPostgres({ ...common, storeClient: pool, storeType: "pool" });
}
