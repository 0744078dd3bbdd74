// The direct road to the database, for the few hot paths where Prisma's own cost per query (its
// query compiler, its request pipeline, a fresh prepared statement every time) is most of the
// time: a signature's reads and its write, the worker's per-letter writes, the export's pages and
// the rate limits (bench/README.md has the measurements). The SQL is Prisma.sql, the same text
// either way; only the road differs. SQLite's road is ~/sqlite-direct.server, PostgreSQL's is here.
//
// Rows come back as the driver gives them: read them with dbDate and dbBool, which take either
// database's form, or through the typed row readers beside the queries that use them.
import { createHash } from "node:crypto";
import pg from "pg";
import { pgPoolOf, type Db, type DbClient } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { sqliteDate, sqliteDirect } from "~/sqlite-direct.server";

export interface DirectSql {
  /** Runs a statement; resolves with the number of rows it changed. */
  run(sql: Prisma.Sql): Promise<number>;
  /** Runs a statement that returns rows (a SELECT, or a write with RETURNING). */
  all<T>(sql: Prisma.Sql): Promise<T[]>;
  /**
   * Runs writes all or nothing and resolves with the number of rows the last one changed: on
   * SQLite one transaction (nothing else runs between its statements, and it holds the lock for
   * microseconds), on PostgreSQL one statement, the writes before the last as data-modifying CTEs:
   * one round trip instead of one each, and as atomic (foreign keys and triggers are checked at
   * the statement's end, when every row is there). On PostgreSQL they all see the database as it
   * was before any of them, so no write may depend on another's effect: a signature and the rows
   * that point at it (every key known beforehand), or a letter's attempt and its "sent".
   */
  writeAll(writes: Prisma.Sql[]): Promise<number>;
  /**
   * As writeAll (all or nothing; on PostgreSQL each write sees the database as it was before any
   * of them, so no two may change the same row: only one of the changes would be made), and
   * resolves with the number of rows each write changed, in order. Each write is an INSERT, UPDATE
   * or DELETE without a RETURNING of its own (PostgreSQL counts its rows with one). On PostgreSQL
   * each write's statement-level triggers run for that write alone: changes to "Delivery", whose
   * counter triggers lock rows sorted by key, belong in one write (see PostgresDeliveryStore).
   */
  writeEach(writes: Prisma.Sql[]): Promise<number[]>;
}

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

/**
 * A model's row as either driver returns it: DateTime as a Date or stored text, Boolean as
 * true/false or 1/0. The readers that turn one into the model (campaignFromRow, officeFromRow)
 * list every field, so a field added to the schema fails the type check until it is read.
 */
export type DbRow<T> = {
  [K in keyof T]: T[K] extends Date
    ? Date | string
    : T[K] extends Date | null
      ? Date | string | null
      : T[K] extends boolean
        ? boolean | number
        : T[K];
};

/** The direct road of a client made by createDb (see directSql); an error for anything else. */
export function directSqlOf(db: Db): DirectSql {
  const road = directSql(db);
  if (!road) throw new Error("This client has no direct road to its database: make it with createDb");
  return road;
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

// PostgreSQL: Prisma maps DateTime to `timestamp(3)` (no time zone) holding UTC. Its adapter
// binds a Date as UTC text and reads the column back as UTC; node-postgres on its own would use
// the process's local time zone both ways, so both directions are set here the same way.
const TIMESTAMP_OID = 1114;

function utcText(date: Date): string {
  return date.toISOString().replace("T", " ").replace("Z", "");
}

function pgBindable(value: unknown): unknown {
  return value instanceof Date ? utcText(value) : value;
}

const types = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === TIMESTAMP_OID) return (text: string) => new Date(`${text.replace(" ", "T")}Z`);
    return pg.types.getTypeParser(oid, format as "text");
  }) as typeof pg.types.getTypeParser,
};

// Named statements are prepared once per connection (node-postgres keeps them by name), as
// Prisma's adapter does not: the name is a digest of the text.
const names = new Map<string, string>();
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) names.set(text, (name = `d_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`));
  return name;
}

function query(sql: Prisma.Sql) {
  return { name: statementName(sql.text), text: sql.text, values: sql.values.map(pgBindable), types };
}

const roads = new WeakMap<pg.Pool, DirectSql>();

function pgDirect(pool: pg.Pool): DirectSql {
  let road = roads.get(pool);
  if (road) return road;
  road = {
    run: async (sql) => (await pool.query(query(sql))).rowCount ?? 0,
    all: async <T>(sql: Prisma.Sql) => (await pool.query(query(sql))).rows as T[],
    async writeAll(writes) {
      const ctes = writes.slice(0, -1).map((sql, i) => Prisma.sql`${Prisma.raw(`w${i}`)} AS (${sql})`);
      const last = writes[writes.length - 1];
      if (!last) return 0;
      return (
        (await pool.query(query(ctes.length ? Prisma.sql`WITH ${Prisma.join(ctes)} ${last}` : last))).rowCount ?? 0
      );
    },
    async writeEach(writes) {
      if (writes.length === 0) return [];
      if (writes.length === 1) return [(await pool.query(query(writes[0]!))).rowCount ?? 0];
      // One statement again: each write a data-modifying CTE that returns a row per row it
      // changed, and one row of their counts.
      const ctes = writes.map((sql, i) => Prisma.sql`${Prisma.raw(`w${i}`)} AS (${sql} RETURNING 1)`);
      const counts = writes.map((_, i) => Prisma.raw(`(SELECT count(*) FROM w${i}) AS c${i}`));
      const [row] = (await pool.query(query(Prisma.sql`WITH ${Prisma.join(ctes)} SELECT ${Prisma.join(counts)}`)))
        .rows as Array<Record<string, string>>;
      return writes.map((_, i) => Number(row![`c${i}`]));
    },
  };
  roads.set(pool, road);
  return road;
}
