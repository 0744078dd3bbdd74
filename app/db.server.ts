// One Prisma client per process, with the driver adapter chosen from DATABASE_URL.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Prisma, PrismaClient } from "./generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "./generated/prisma-pg/client";
import { DEFAULT_DATABASE_URL, isPostgresUrl } from "./db-url";

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

const sqliteFiles = new WeakMap<Db, string>();

/**
 * The SQLite file a client opened (undefined for PostgreSQL). For the few readers that go to the
 * driver directly because Prisma's per-row cost is most of their time (see app/exports/).
 */
export function sqliteFileOf(db: Db): string | undefined {
  return sqliteFiles.get(db);
}

export function createDb(url: string = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL): Db {
  if (isPostgresUrl(url)) {
    // A Prisma client is bound to its schema's provider, so PostgreSQL has its own client,
    // generated from the generated twin of the same models (prisma/postgresql/schema.prisma):
    // the two are the same API, so the rest of the app sees one type.
    const client = new PostgresPrismaClient({
      adapter: new PrismaPg(
        {
          connectionString: url,
          // A dead connection is noticed within seconds, not after the kernel's TCP timeout.
          keepAlive: true,
          connectionTimeoutMillis: 10_000,
          max: Number(process.env.DATABASE_POOL_SIZE) || 10,
        },
        {
          // An idle pooled connection that dies (PostgreSQL restarted, a proxy dropped it) is
          // removed by the pool and replaced on next use; without a listener it would crash the process.
          onPoolError: (error) => console.warn(`[db] a pooled connection dropped: ${error.message}`),
          onConnectionError: (error) => console.warn(`[db] a connection dropped: ${error.message}`),
        },
      ),
    });
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
  sqliteFiles.set(client, file);
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

/** A write refused by a unique key (Prisma's P2002): the row already exists. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

const globalForDb = globalThis as unknown as { __sincerelyDb?: Db };

/** The process's shared client (created on first use). */
export function db(): Db {
  globalForDb.__sincerelyDb ??= createDb();
  return globalForDb.__sincerelyDb;
}
