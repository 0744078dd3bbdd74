// The direct road to the database, for the few hot paths where Prisma's own cost per query (its
// query compiler, its request pipeline, a fresh prepared statement every time) is most of the
// time: a signature's reads and its write, the worker's per-letter writes, the export's pages and
// the rate limits (bench/README.md has the measurements). The SQL is Prisma.sql, the same text
// either way; only the road differs: SQLite's is ./direct/sqlite.server, PostgreSQL's
// ./direct/postgresql.server.
//
// Rows come back as the driver gives them: read them with dbDate and dbBool, which take either
// database's form, or through the typed row readers beside the queries that use them.
import { pgPoolOf, type Db, type DbClient } from "~/db/client.server";
import { pgDirect } from "./direct/postgresql.server";
import { sqliteDate, sqliteDirect } from "./direct/sqlite.server";
import type { DirectSql } from "./direct/types";
import type { Prisma } from "~/generated/prisma/client";

export type { DbRow, DirectSql } from "./direct/types";

/**
 * The direct road for a client made by createDb, or undefined for a transaction client: a
 * statement on another connection would not be part of the transaction (and on SQLite would wait
 * for the lock that transaction holds). Callers fall back to Prisma then.
 */
export function directSql(db: DbClient): DirectSql | undefined {
  if (!("$transaction" in db)) return undefined;
  const pool = pgPoolOf(db as Db);
  return pool ? pgDirect(pool) : sqliteDirect(db);
}

/** The direct road of a client made by createDb (see directSql); an error for anything else. */
export function directSqlOf(db: Db): DirectSql {
  const road = directSql(db);
  if (!road) throw new Error("This client has no direct road to its database: make it with createDb");
  return road;
}

/** Plain SQL on whichever road the client has: what a statement that must also run inside a transaction uses. */
export interface SqlRoad {
  run(sql: Prisma.Sql): Promise<number>;
  all<T>(sql: Prisma.Sql): Promise<T[]>;
}

/**
 * The direct road where the client has one, else Prisma's own raw queries (a transaction's
 * client: its statements must run on the transaction's connection). Rows come back as either
 * road gives them, so read them with dbDate and dbBool.
 */
export function sqlRoad(db: DbClient): SqlRoad {
  const direct = directSql(db);
  if (direct) return direct;
  return { run: (sql) => db.$executeRaw(sql), all: <T>(sql: Prisma.Sql) => db.$queryRaw<T[]>(sql) };
}

/** A DateTime as either driver returns it: a Date (PostgreSQL) or stored text (SQLite). */
export function dbDate(value: Date | string | number): Date;
export function dbDate(value: Date | string | number | null): Date | null;
export function dbDate(value: Date | string | number | null): Date | null {
  return value === null ? null : sqliteDate(value);
}

/** A Boolean as either driver returns it: true/false (PostgreSQL) or 1/0 (SQLite). */
export function dbBool(value: boolean | number): boolean {
  return value === true || value === 1;
}
