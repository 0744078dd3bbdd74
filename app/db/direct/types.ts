// The direct road's one interface, shared by its two dialects (./sqlite.server, ./postgresql.server)
// and chosen per client by ~/db/direct-sql.server.
import type { Prisma } from "~/generated/prisma/client";

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
