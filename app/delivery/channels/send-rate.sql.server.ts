// The send log's statements (table ChannelSend) for the shared send rate (./send-rate.server.ts).
//
// Taking a slot is one conditional INSERT: "record a send now if fewer than `max` were recorded in
// the `perMs` before now". Counting and inserting must be one step for every worker, and "now" must
// be read inside that step from one clock:
// - SQLite: a single INSERT … SELECT takes the database's write lock before it reads anything, so
//   it runs alone (one writer at a time, across processes); "now" is SQLite's own clock, read in
//   the statement under the lock (the processes sharing a file share the machine's clock). On the
//   direct road, whose connection does not block the event loop while another writer holds the
//   lock (~/db/direct/sqlite.server).
// - PostgreSQL: a transaction-scoped advisory lock per channel, then the INSERT as a statement of
//   its own: under READ COMMITTED each statement sees what committed before it began, so the
//   INSERT sees the send of the worker that held the lock before (one statement taking the lock
//   in a CTE would not: its snapshot is older than the lock). "now" is the server's
//   clock_timestamp(), read after the lock: workers on machines whose clocks differ still agree.
import { dbProvider, type Db } from "~/db/client.server";
import { dbDate, directSqlOf } from "~/db/direct-sql.server";
import { newId } from "~/db/ids";
import { Prisma } from "~/generated/prisma/client";

/** The first key of the advisory locks of send rates (the second is the channel's hash). */
export const SEND_RATE_LOCK_KEY = 73_731_002;

export interface ChannelSendsSql {
  /** Records a send now if fewer than `max` were in the `perMs` before: the time recorded, or null. */
  take(channel: string, max: number, perMs: number): Promise<Date | null>;
  /** How long until the oldest of the last `max` sends leaves the window (0: a slot is free now). */
  waitMs(channel: string, max: number, perMs: number): Promise<number>;
  /** Forgets sends older than `keepMs`: answers how many. */
  prune(channel: string, keepMs: number): Promise<number>;
}

/** SQLite's clock as Prisma's adapter writes a DateTime ("2026-12-04T17:05:29.123+00:00"): rows compare as text. */
const sqliteNow = (modifier?: string) =>
  modifier === undefined
    ? Prisma.sql`strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')`
    : Prisma.sql`strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now', ${modifier})`;

/** A strftime modifier going `ms` back. */
const back = (ms: number) => `-${(ms / 1000).toFixed(3)} seconds`;

/** PostgreSQL's clock as a timestamp(3) in UTC, as Prisma stores DateTime. */
const PG_NOW = Prisma.sql`(clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3)`;

function sqliteSends(db: Db): ChannelSendsSql {
  const road = directSqlOf(db);
  return {
    async take(channel, max, perMs) {
      const [row] = await road.all<{ sentAt: string }>(Prisma.sql`
        INSERT INTO "ChannelSend" ("id", "channel", "sentAt")
        SELECT ${newId()}, ${channel}, ${sqliteNow()}
         WHERE (SELECT count(*) FROM "ChannelSend"
                 WHERE "channel" = ${channel} AND "sentAt" > ${sqliteNow(back(perMs))}) < ${max}
        RETURNING "sentAt"`);
      return row ? dbDate(row.sentAt) : null;
    },
    async waitMs(channel, max, perMs) {
      const [row] = await road.all<{ oldest: string | null; now: string }>(Prisma.sql`
        SELECT (SELECT "sentAt" FROM "ChannelSend" WHERE "channel" = ${channel}
                 ORDER BY "sentAt" DESC LIMIT 1 OFFSET ${max - 1}) AS "oldest",
               ${sqliteNow()} AS "now"`);
      return row?.oldest ? Math.max(0, dbDate(row.oldest).getTime() + perMs - dbDate(row.now).getTime()) : 0;
    },
    prune: (channel, keepMs) =>
      road.run(Prisma.sql`
        DELETE FROM "ChannelSend" WHERE "channel" = ${channel} AND "sentAt" < ${sqliteNow(back(keepMs))}`),
  };
}

function postgresSends(db: Db): ChannelSendsSql {
  return {
    async take(channel, max, perMs) {
      const [, rows] = await db.$transaction([
        db.$executeRaw`SELECT pg_advisory_xact_lock(${SEND_RATE_LOCK_KEY}::int, hashtext(${channel}))`,
        db.$queryRaw<Array<{ sentAt: Date }>>`
          WITH now AS MATERIALIZED (SELECT ${PG_NOW} AS t)
          INSERT INTO "ChannelSend" ("id", "channel", "sentAt")
          SELECT ${newId()}, ${channel}, now.t FROM now
           WHERE (SELECT count(*) FROM "ChannelSend" s
                   WHERE s."channel" = ${channel}
                     AND s."sentAt" > now.t - ${perMs}::int * interval '1 millisecond') < ${max}::int
          RETURNING "sentAt"`,
      ]);
      return rows[0] ? dbDate(rows[0].sentAt) : null;
    },
    async waitMs(channel, max, perMs) {
      const [row] = await db.$queryRaw<Array<{ oldest: Date | null; now: Date }>>`
        SELECT (SELECT "sentAt" FROM "ChannelSend" WHERE "channel" = ${channel}
                 ORDER BY "sentAt" DESC LIMIT 1 OFFSET ${max - 1}::int) AS "oldest",
               ${PG_NOW} AS "now"`;
      return row?.oldest ? Math.max(0, dbDate(row.oldest).getTime() + perMs - dbDate(row.now).getTime()) : 0;
    },
    prune: (channel, keepMs) =>
      db.$executeRaw`
        DELETE FROM "ChannelSend"
         WHERE "channel" = ${channel} AND "sentAt" < ${PG_NOW} - ${keepMs}::int * interval '1 millisecond'`,
  };
}

export function channelSendsSql(db: Db): ChannelSendsSql {
  return dbProvider(db) === "postgresql" ? postgresSends(db) : sqliteSends(db);
}
