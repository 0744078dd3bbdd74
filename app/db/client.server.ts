// One Prisma client per process, with the driver adapter chosen from DATABASE_URL.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import pg from "pg";
import { Prisma, PrismaClient } from "~/generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "~/generated/prisma-pg/client";
import { DEFAULT_DATABASE_URL, isPostgresUrl } from "./url";

export type Db = PrismaClient;
/** A client or an open transaction: domain writes that must commit together take either. */
export type DbClient = Db | Prisma.TransactionClient;

/** The SQLite file a `file:` URL points at, relative to the working directory. */
export function sqlitePath(url: string): string {
  return resolve(url.replace(/^file:/, "").replace(/\?.*$/, ""));
}

export type DbProvider = "sqlite" | "postgresql";

/** Which database a client talks to: the one place the two providers' SQL differs is asked here. */
export function dbProvider(db: DbClient): DbProvider {
  // Prisma keeps the provider on the client, and a transaction client forwards to it.
  const provider = (db as unknown as { _activeProvider?: string })._activeProvider;
  return provider === "postgresql" ? "postgresql" : "sqlite";
}

// Kept on the client itself, under symbols from the global registry: the server's build bundles
// its own copy of this module, and both copies must read what the one that made the client wrote.
const SQLITE_FILE = Symbol.for("sincerely.db.sqliteFile");
const PG_POOL = Symbol.for("sincerely.db.pgPool");
interface Driven {
  [SQLITE_FILE]?: string;
  [PG_POOL]?: pg.Pool;
}

/** The connection pool a PostgreSQL client queries through (undefined for SQLite). */
export function pgPoolOf(db: Db): pg.Pool | undefined {
  return (db as Driven)[PG_POOL];
}

/**
 * The SQLite file a client opened (undefined for PostgreSQL). For the few readers and writers that
 * go to the driver directly because Prisma's cost per query or per row is most of their time (the
 * signature export, the rate limits, a signature's reads and write, the worker's hot statements:
 * see ~/db/direct-sql.server).
 */
export function sqliteFileOf(db: Db): string | undefined {
  return (db as Driven)[SQLITE_FILE];
}

export function createDb(url: string = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL): Db {
  if (isPostgresUrl(url)) {
    // A Prisma client is bound to its schema's provider, so PostgreSQL has its own client,
    // generated from the generated twin of the same models (prisma/postgresql/schema.prisma):
    // the two are the same API, so the rest of the app sees one type.
    // The pool is ours, not the adapter's, so that the few readers and writers that skip Prisma
    // (~/db/direct-sql.server, the rate limits) share its connections: one pool per process,
    // DATABASE_POOL_SIZE in all.
    const pool = new pg.Pool({
      connectionString: url,
      // A dead connection is noticed within seconds, not after the kernel's TCP timeout.
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
      max: Number(process.env.DATABASE_POOL_SIZE) || 10,
    });
    // An idle pooled connection that dies (PostgreSQL restarted, a proxy dropped it) is removed by
    // the pool and replaced on next use; without a listener it would crash the process.
    pool.on("error", (error) => console.warn(`[db] a pooled connection dropped: ${error.message}`));
    const client = new PostgresPrismaClient({
      adapter: new PrismaPg(pool, {
        onConnectionError: (error) => console.warn(`[db] a connection dropped: ${error.message}`),
        // $disconnect ends the pool, as it would end a pool of the adapter's own.
        disposeExternalPool: true,
      }),
    });
    (client as Driven)[PG_POOL] = pool;
    return client as unknown as Db;
  }
  if (!url.startsWith("file:")) {
    throw new Error(`DATABASE_URL ${url.split(":")[0]}: must be a file: (SQLite) or postgresql:// URL`);
  }
  const file = sqlitePath(url);
  mkdirSync(dirname(file), { recursive: true });
  const client = new PrismaClient({
    adapter: new PrismaBetterSQLite3({ url: `file:${file}` }),
  });
  (client as Driven)[SQLITE_FILE] = file;
  return client;
}

/**
 * SQLite in a web app: WAL so readers never wait for the writer, and a busy timeout so
 * a second writer (the worker, a CLI) waits its turn instead of failing.
 */
export async function tuneSqlite(db: Db): Promise<void> {
  if (dbProvider(db) !== "sqlite") return;
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  await db.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  await db.$queryRawUnsafe("PRAGMA foreign_keys = ON");
}

/**
 * A write refused by a unique key: the row already exists. Through Prisma that is its P2002; on
 * the direct road (~/db/direct-sql.server) the driver's own code: SQLite's constraint codes,
 * PostgreSQL's 23505.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return error.code === "P2002";
  const code = (error as { code?: unknown } | null)?.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505";
}

const globalForDb = globalThis as unknown as { __sincerelyDb?: Db };

/** The process's shared client (created on first use). */
export function db(): Db {
  globalForDb.__sincerelyDb ??= createDb();
  return globalForDb.__sincerelyDb;
}
