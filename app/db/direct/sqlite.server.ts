// SQLite's direct road (see ~/db/direct-sql.server for what it is for, and PostgreSQL's twin).
//
// One connection per database file in a process, beside Prisma's (which its adapter does not
// share). Both use the one better-sqlite3 the project installs (package.json's overrides: two
// copies of SQLite in one process do not see each other's locks). This connection never waits
// for the write lock synchronously: better-sqlite3 blocks the thread while it waits, which would
// stop the event loop and with it a Prisma transaction of this same process holding the lock.
// It gives up at once (timeout 0) and withBusyRetry waits on a timer instead.
import Database from "better-sqlite3";
import { sqliteFileOf, type Db, type DbClient } from "~/db/client.server";
import type { DirectSql } from "./types";
import type { Prisma } from "~/generated/prisma/client";

const connections = new Map<string, Database.Database>();
/** Each client's road, made once (the hot paths ask for it at every call). */
const roads = new WeakMap<Db, DirectSql>();
/** Statements are prepared once per connection and text (Prisma's adapter prepares every time). */
const preparedOn = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** The process's own connection to a SQLite file, tuned as the app's is. */
export function sqliteConnection(file: string): Database.Database {
  let connection = connections.get(file);
  if (!connection || !connection.open) {
    connection = new Database(file, { fileMustExist: true, timeout: 0 });
    connection.pragma("synchronous = NORMAL");
    connection.pragma("foreign_keys = ON");
    connections.set(file, connection);
  }
  return connection;
}

/** Runs `run` again while SQLite says another writer holds the lock, for up to five seconds. */
export async function withBusyRetry<T>(run: () => T | Promise<T>): Promise<T> {
  const giveUpAt = Date.now() + 5000;
  for (let waitMs = 2; ; waitMs = Math.min(waitMs * 2, 100)) {
    try {
      return await run();
    } catch (error) {
      const busy = (error as { code?: string }).code?.startsWith("SQLITE_BUSY");
      if (!busy || Date.now() > giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

/** How Prisma's SQLite adapter writes a DateTime, so that rows written here compare with its rows as text. */
export function sqliteDateText(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

/** A DateTime as SQLite holds it: the adapter's ISO text, or SQLite's own "YYYY-MM-DD HH:MM:SS" (UTC). */
export function sqliteDate(value: string | number | Date): Date {
  if (value instanceof Date || typeof value === "number") return new Date(value);
  return new Date(value.includes("T") ? value : `${value.replace(" ", "T")}Z`);
}

/** A statement on the process's connection to `file`, prepared once per connection and text. */
function preparedStatement(file: string, text: string): Database.Statement {
  const connection = sqliteConnection(file);
  let statements = preparedOn.get(connection);
  if (!statements) preparedOn.set(connection, (statements = new Map()));
  let statement = statements.get(text);
  if (!statement) statements.set(text, (statement = connection.prepare(text)));
  return statement;
}

/**
 * The process's connection to `file` as a library that prepares its statements at every call
 * (rate-limiter-flexible's SQLite store) uses it: `prepare` hands out the statement prepared
 * once, `transaction` is the connection's own. Preparing was 2 % of a signature's time.
 */
export function sqliteStatementsOnce(file: string): Pick<Database.Database, "prepare" | "transaction"> {
  return {
    prepare: ((text: string) => preparedStatement(file, text)) as Database.Database["prepare"],
    transaction: (fn) => sqliteConnection(file).transaction(fn),
  };
}

/** A value as the driver binds it, the way Prisma's adapter would have. */
function bindable(value: unknown): unknown {
  if (value instanceof Date) return sqliteDateText(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

/**
 * The direct road for a SQLite client made by createDb, or undefined: for PostgreSQL, and for a
 * transaction client (a statement on another connection would not be part of the transaction,
 * and would wait for the lock that transaction holds).
 */
export function sqliteDirect(db: DbClient): DirectSql | undefined {
  if (!("$transaction" in db)) return undefined;
  const known = roads.get(db as Db);
  if (known) return known;
  const file = sqliteFileOf(db as Db);
  if (!file) return undefined;
  const prepared = (text: string) => preparedStatement(file, text);
  // better-sqlite3's transaction runs synchronously: BEGIN IMMEDIATE takes the write lock (or
  // fails at once, and withBusyRetry tries again), the statements run, COMMIT; no other code of
  // this process runs in between.
  const transaction = (statements: Prisma.Sql[]) =>
    withBusyRetry(() =>
      sqliteConnection(file)
        .transaction(() => statements.map((sql) => prepared(sql.sql).run(...sql.values.map(bindable)).changes))
        .immediate(),
    );
  const road: DirectSql = {
    run: (sql) => withBusyRetry(() => prepared(sql.sql).run(...sql.values.map(bindable)).changes),
    all: <T>(sql: Prisma.Sql) => withBusyRetry(() => prepared(sql.sql).all(...sql.values.map(bindable)) as T[]),
    writeAll: async (writes) => (await transaction(writes)).at(-1) ?? 0,
    writeEach: (writes) => transaction(writes),
  };
  roads.set(db as Db, road);
  return road;
}
