// The claim, shared by the two queues (letters' deliveries and supporters' e-mails): take up to
// `limit` due rows (queued and due, or sending with an expired lease), oldest first, in one atomic
// statement that leases them to a worker. Written once here, with what SQLite and PostgreSQL write
// differently in a dialect object each.
import { Prisma } from "~/generated/prisma/client";
import type { DbClient, DbProvider } from "~/db/client.server";

/** The tables that are queues: a status, runAt, attempts and a lease on every row. */
export type QueueTable = "Delivery" | "SupporterEmail";

/** The window the per-office rate limit counts claims in. */
export const RATE_WINDOW_MS = 60_000;

const col = (alias: string, column: string) => Prisma.raw(`${alias}."${column}"`);
const table = (name: QueueTable) => Prisma.raw(`"${name}"`);

export interface ClaimDialect {
  /** The two halves of "due", each written so that an index on (…, status, runAt, id) can serve it. */
  queuedDue(alias: string, now: Date): Prisma.Sql;
  leaseExpired(alias: string, now: Date): Prisma.Sql;
  /** Rows claimed after `date` (the rate limit's window). */
  claimedSince(alias: string, date: Date): Prisma.Sql;
  /** The ids a `walk` (a SELECT of ids that refers to the office as o) finds, for every office. */
  forEachOffice(walk: Prisma.Sql): Prisma.Sql;
  /** The UPDATE … RETURNING that leases the `candidates` (a SELECT of ids) to the worker. */
  claim(claim: {
    table: QueueTable;
    candidates: Prisma.Sql;
    now: Date;
    workerId: string;
    leaseExpiresAt: Date;
    /** More columns to set, as `, "col" = value` pieces. */
    alsoSet?: Prisma.Sql;
    returning: readonly string[];
  }): Prisma.Sql;
}

/**
 * SQLite: one UPDATE … RETURNING. SQLite runs one writer at a time, so the sub-select and the
 * update cannot interleave with another claimer's; no row lock is needed.
 *
 * Dates: the better-sqlite3 adapter stores DateTime as ISO-8601 text ("2026-01-02T03:04:05.678+00:00")
 * and binds Date parameters the same way, and so does the direct road. A row written by plain SQL
 * relying on the column default would hold SQLite's "2026-01-02 03:04:05" instead, which does not
 * compare correctly against the ISO form as text (a space sorts before "T"), so the comparisons go
 * through julianday(), which reads both. julianday() hides the column from its index, so each
 * condition first bounds the date as text: every row due in either form is below now's ISO text
 * (a same-day "2026-01-02 10:00:00" sorts before "2026-01-02T09:…" too, and julianday() then
 * drops it), so the index walk misses none.
 */
export const sqliteClaims: ClaimDialect = {
  queuedDue: (a, now) =>
    Prisma.sql`${col(a, "status")} = 'queued' AND ${col(a, "runAt")} <= ${now}
               AND julianday(${col(a, "runAt")}) <= julianday(${now})`,
  leaseExpired: (a, now) =>
    Prisma.sql`${col(a, "status")} = 'sending' AND ${col(a, "leaseExpiresAt")} < ${now}
               AND julianday(${col(a, "leaseExpiresAt")}) < julianday(${now})`,
  // claimedAt is written only by the claim, always in the adapter's ISO form, so text compares
  // exactly, and the (officeId, claimedAt) index serves it.
  claimedSince: (a, date) => Prisma.sql`${col(a, "claimedAt")} > ${date}`,
  // No LATERAL in SQLite: the walk, correlated with the office, drives lookups by id.
  forEachOffice: (walk) => Prisma.sql`SELECT y."id" FROM "Office" o JOIN "Delivery" y ON y."id" IN (${walk})`,
  claim: ({ table: name, candidates, now, workerId, leaseExpiresAt, alsoSet, returning }) => Prisma.sql`
    UPDATE ${table(name)}
       SET "status" = 'sending', "leaseOwner" = ${workerId}, "leaseExpiresAt" = ${leaseExpiresAt},
           "attempts" = "attempts" + 1, "updatedAt" = ${now}${alsoSet ?? Prisma.empty}
     WHERE "id" IN (${candidates})
    RETURNING ${Prisma.raw(returning.map((c) => `"${c}"`).join(", "))}`,
};

/**
 * PostgreSQL: the same UPDATE, with the candidates locked `FOR UPDATE SKIP LOCKED`, so that
 * concurrent claimers each take different rows without waiting for one another (the rows another
 * claimer is taking are skipped, not waited for). The due-condition is repeated on the locked
 * rows: PostgreSQL re-reads a row that changed while it waited and drops it if it is no longer due
 * (a stalled worker that settled its expired claim at the last moment keeps its outcome).
 */
export const postgresClaims: ClaimDialect = {
  queuedDue: (a, now) => Prisma.sql`${col(a, "status")} = 'queued' AND ${col(a, "runAt")} <= ${now}`,
  leaseExpired: (a, now) => Prisma.sql`${col(a, "status")} = 'sending' AND ${col(a, "leaseExpiresAt")} < ${now}`,
  claimedSince: (a, date) => Prisma.sql`${col(a, "claimedAt")} > ${date}`,
  forEachOffice: (walk) => Prisma.sql`SELECT y."id" FROM "Office" o CROSS JOIN LATERAL (${walk}) y`,
  claim: ({ table: name, candidates, now, workerId, leaseExpiresAt, alsoSet, returning }) => Prisma.sql`
    UPDATE ${table(name)} d
       SET "status" = 'sending', "leaseOwner" = ${workerId}, "leaseExpiresAt" = ${leaseExpiresAt},
           "attempts" = d."attempts" + 1, "updatedAt" = ${now}${alsoSet ?? Prisma.empty}
     WHERE d."id" IN (
           SELECT l."id" FROM ${table(name)} l
            WHERE l."id" IN (${candidates})
              AND ((${postgresClaims.queuedDue("l", now)}) OR (${postgresClaims.leaseExpired("l", now)}))
              FOR UPDATE SKIP LOCKED)
    RETURNING ${Prisma.raw(returning.map((c) => `d."${c}"`).join(", "))}`,
};

export function claimDialect(provider: DbProvider): ClaimDialect {
  return provider === "postgresql" ? postgresClaims : sqliteClaims;
}

/**
 * The rows a claim may take, as a SELECT of ids: due, `eligible` (e.g. not of a paused campaign),
 * oldest first. Two walks of the (status, runAt, id) index, each stopping after `limit` rows, then
 * the oldest of those. One condition with OR read and sorted every due row at each claim: 65 ms a
 * claim of ten with 100,000 letters queued, so a backlog (a campaign gone viral, a mail server
 * down) slowed the very queue that had to drain it.
 */
export function dueCandidates(
  dialect: ClaimDialect,
  {
    from,
    limit,
    now,
    eligible,
  }: { from: QueueTable; limit: number; now: Date; eligible?: (alias: string) => Prisma.Sql },
): Prisma.Sql {
  const walk = (due: Prisma.Sql) => Prisma.sql`
    SELECT w."id", w."runAt" FROM ${table(from)} w
     WHERE ${due}${eligible ? Prisma.sql` AND ${eligible("w")}` : Prisma.empty}
     ORDER BY w."runAt", w."id" LIMIT ${limit}`;
  return Prisma.sql`
    SELECT d."id" FROM (
      SELECT * FROM (${walk(dialect.queuedDue("w", now))}) queued
      UNION ALL
      SELECT * FROM (${walk(dialect.leaseExpired("w", now))}) expired
    ) d
    ORDER BY d."runAt", d."id"
    LIMIT ${limit}`;
}

/** A delivery of a paused campaign waits (its letters stay queued until the campaign resumes). */
export const notPaused = (alias: string) =>
  Prisma.sql`NOT EXISTS (SELECT 1 FROM "Campaign" p WHERE p."id" = ${col(alias, "campaignId")} AND p."paused")`;

/**
 * The deliveries a claim may take under a per-office rate limit: as dueCandidates, and no more
 * per office than the office's budget for the last minute has left.
 *
 * The rate limit is kept by the claim itself, counting each office's claims in the last minute
 * from the deliveries' own `claimedAt`: the database every worker shares is the one place that
 * sees all of them, the count and the claim happen in one statement (SQLite) or under one lock
 * (PostgreSQL), so the limit holds across any number of workers, and nothing that was claimed
 * can be lost between a separate limiter and the queue. A letter that the limit holds back simply
 * stays queued for a later claim.
 *
 * One approximation, on the generous side: a letter claimed twice within a minute (a quick retry)
 * counts once, its second claim replacing the first's time.
 *
 * Only each office's oldest `limit` due letters can be taken, whatever its budget: those are
 * walked office by office on the (officeId, status, runAt, id) index, so that a backlog (the White
 * House gets a letter from every supporter) is never read whole, and then ranked within their
 * office against what the office claimed in the last minute (read on the (officeId, claimedAt)
 * index, for the offices among the candidates only).
 */
export function rateLimitedDeliveries(
  dialect: ClaimDialect,
  { limit, now, officeRatePerMinute }: { limit: number; now: Date; officeRatePerMinute: number },
): Prisma.Sql {
  const walk = (where: Prisma.Sql, due: Prisma.Sql) => Prisma.sql`
    SELECT w."id", w."runAt" FROM "Delivery" w
     WHERE ${where} AND ${due} AND ${notPaused("w")}
     ORDER BY w."runAt", w."id" LIMIT ${limit}`;
  const windowStart = new Date(now.getTime() - RATE_WINDOW_MS);
  const ofOffice = Prisma.sql`w."officeId" = o."id"`;
  const noOffice = Prisma.sql`w."officeId" IS NULL`;
  const queued = dialect.queuedDue("w", now);
  const expired = dialect.leaseExpired("w", now);
  return Prisma.sql`
    SELECT ranked."id" FROM (
      SELECT c."id", c."runAt", c."officeId",
             ROW_NUMBER() OVER (PARTITION BY c."officeId" ORDER BY c."runAt", c."id") AS "place"
        FROM "Delivery" c
       WHERE c."id" IN (
             ${dialect.forEachOffice(Prisma.sql`SELECT x."id" FROM (${walk(ofOffice, queued)}) x`)}
             UNION ALL
             ${dialect.forEachOffice(Prisma.sql`SELECT x."id" FROM (${walk(ofOffice, expired)}) x`)}
             UNION ALL
             SELECT x."id" FROM (${walk(noOffice, queued)}) x
             UNION ALL
             SELECT x."id" FROM (${walk(noOffice, expired)}) x)
    ) ranked
     WHERE ranked."officeId" IS NULL
        OR ranked."place" + (SELECT COUNT(*) FROM "Delivery" r
                              WHERE r."officeId" = ranked."officeId" AND ${dialect.claimedSince("r", windowStart)})
           <= ${officeRatePerMinute}
     ORDER BY ranked."runAt", ranked."id"
     LIMIT ${limit}`;
}

/**
 * PostgreSQL, with a per-office rate limit: the budget must be read and spent by one claimer at a
 * time. Racing claimers mostly rank the same oldest rows of an office and SKIP LOCKED keeps them
 * apart, but their snapshots can differ (a letter re-queued in between), and then two could spend
 * the same budget; a transaction-scoped advisory lock makes counting and claiming one step (a
 * claim takes milliseconds; the sending, which takes long, is not under it).
 */
export const RATE_LOCK_KEY = 73_731_001;

export async function claimUnderRateLock<Row>(db: DbClient, claim: Prisma.Sql): Promise<Row[]> {
  const lock = Prisma.sql`SELECT pg_advisory_xact_lock(${RATE_LOCK_KEY}::bigint)`;
  if ("$transaction" in db) {
    // The planner's estimate for this statement (a walk per office) passes PostgreSQL's JIT
    // threshold, and compiling it took 29 ms of a 30 ms claim (measured, 100,000 letters queued):
    // off for this transaction only.
    const [, , rows] = await db.$transaction([
      db.$executeRaw`SET LOCAL jit = off`,
      db.$executeRaw(lock),
      db.$queryRaw<Row[]>(claim),
    ]);
    return rows;
  }
  // Already inside the caller's transaction: the lock is held until it ends.
  await db.$executeRaw(lock);
  return db.$queryRaw<Row[]>(claim);
}
