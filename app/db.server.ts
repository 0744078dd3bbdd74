// One Prisma client per process, with the driver adapter chosen from DATABASE_URL.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Prisma, PrismaClient } from "./generated/prisma/client";
import { DEFAULT_DATABASE_URL } from "./db-url";

export type Db = PrismaClient;
/** A client or an open transaction: domain writes that must commit together take either. */
export type DbClient = Db | Prisma.TransactionClient;

/** The SQLite file a `file:` URL points at, relative to the working directory. */
export function sqlitePath(url: string): string {
  return resolve(url.replace(/^file:/, "").replace(/\?.*$/, ""));
}

export function createDb(url: string = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL): Db {
  if (!url.startsWith("file:")) {
    throw new Error(`DATABASE_URL ${url.split(":")[0]}: only file: (SQLite) is supported in this version`);
  }
  const file = sqlitePath(url);
  mkdirSync(dirname(file), { recursive: true });
  const client = new PrismaClient({
    adapter: new PrismaBetterSQLite3({ url: `file:${file}` }),
  });
  return client;
}

/**
 * SQLite in a web app: WAL so readers never wait for the writer, and a busy timeout so
 * a second writer (the worker, a CLI) waits its turn instead of failing.
 */
export async function tuneSqlite(db: Db): Promise<void> {
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
