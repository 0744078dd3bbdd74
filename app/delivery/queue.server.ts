// The delivery queue: one row per letter per channel in "Delivery", claimed with a lease.
//
// Guarantee: at least once. A worker that crashes mid-send loses its lease, and the delivery is
// claimed again once the lease expires; the stable Message-ID (see message.server.ts) lets a
// receiver drop the rare duplicate. Every state change after the claim is conditional on the
// lease still being ours, so a worker that stalled past its lease cannot overwrite the outcome of
// the worker that took over.
//
// Everything but the claim is the same on any provider. The claim is the one statement that needs
// the database's own dialect, so it is the method a provider overrides (PostgreSQL: the same
// UPDATE with `FOR UPDATE SKIP LOCKED` in the sub-select). The worker's hot statements go through
// the driver directly on both (see PrismaDeliveryStore.direct).
import { randomUUID } from "node:crypto";
import { dbProvider, isUniqueViolation, type DbClient } from "~/db/client.server";
import { dbBool, dbDate, directSql, type DirectSql } from "~/db/direct-sql.server";
import { Prisma } from "~/generated/prisma/client";
import { groupCommit } from "~/db/group-commit.server";
import type { LetterForDelivery } from "./message.server";

export type AttemptOutcome = "started" | "sent" | "transient" | "permanent" | "held" | "cancelled";

export interface ClaimedDelivery {
  id: string;
  letterId: string;
  channel: string;
  /** Including this claim: 1 on the first try. */
  attempts: number;
  runAt: Date;
  leaseExpiresAt: Date;
}

export interface ClaimOptions {
  workerId: string;
  limit: number;
  leaseMs: number;
  now?: Date;
  /** At most this many claims per office in any minute, across all workers (unset: no limit). */
  officeRatePerMinute?: number;
}

export interface DeliveryStore {
  /** Queues one e-mail delivery per letter. Letters that already have one are left alone. Returns how many were created. */
  enqueueForLetters(letterIds: readonly string[], options?: { runAt?: Date }): Promise<number>;
  /**
   * Takes up to `limit` due deliveries (queued and due, or sending with an expired lease) in one
   * atomic step, skipping paused campaigns and offices that used up their rate.
   */
  claim(options: ClaimOptions): Promise<ClaimedDelivery[]>;
  /** Extends the leases this worker still holds; returns how many it still holds. */
  heartbeat(ids: readonly string[], workerId: string, leaseMs: number, now?: Date): Promise<number>;
  /** The letter, supporter, campaign and office of a delivery. */
  loadForSending(id: string): Promise<LetterForDelivery | null>;
  /** The same for a claimed batch, in one query (a deleted letter's delivery is missing from the map). */
  loadManyForSending(ids: readonly string[]): Promise<Map<string, LetterForDelivery>>;
  markSent(
    id: string,
    workerId: string,
    sent: { messageId: string; response: string; recipient: string; at?: Date },
  ): Promise<boolean>;
  /**
   * A letter went out: its attempt row's outcome (written whatever became of the lease, so the log
   * tells the truth) and the delivery's "sent" (only while the lease is still this worker's; the
   * answer says whether it was). finishAttempt then markSent, in one statement where the
   * database allows it.
   */
  recordSent(
    attemptId: string,
    id: string,
    workerId: string,
    sent: { messageId: string; response: string; recipient: string; at?: Date },
  ): Promise<boolean>;
  markRetry(id: string, workerId: string, retry: { error: string; runAt: Date }): Promise<boolean>;
  markFailed(id: string, workerId: string, reason: string): Promise<boolean>;
  markHeld(id: string, workerId: string, reason: string): Promise<boolean>;
  /** Never to be sent (its signature was rejected in moderation). */
  markCancelled(id: string, workerId: string, reason: string): Promise<boolean>;
  /** Gives back claimed deliveries that were never tried (shutdown): queued again, the claim not counted. */
  release(ids: readonly string[], workerId: string): Promise<number>;
  /** An organizer re-drives failed or held deliveries: queued now, attempts from zero. */
  requeue(ids: readonly string[], now?: Date): Promise<number>;
  startAttempt(attempt: {
    deliveryId: string;
    number: number;
    worker: string;
    recipient?: string | null;
    startedAt?: Date;
  }): Promise<string>;
  /** Opens the attempt rows of a batch the worker takes in hand, in one statement; returns their ids by delivery. */
  startAttempts(
    attempts: ReadonlyArray<{ deliveryId: string; number: number; worker: string; startedAt?: Date }>,
  ): Promise<Map<string, string>>;
  /** Removes attempt rows that were opened but never tried (the deliveries were given back at shutdown). */
  dropUntriedAttempts(attemptIds: readonly string[]): Promise<void>;
  finishAttempt(
    attemptId: string,
    result: {
      outcome: Exclude<AttemptOutcome, "started">;
      response?: string | null;
      messageId?: string | null;
      recipient?: string | null;
      finishedAt?: Date;
    },
  ): Promise<void>;
}

/** What a worker reads to send a delivery: its letter, the supporter, the campaign, the office. */
const FOR_SENDING = {
  id: true,
  attempts: true,
  lastError: true,
  letter: {
    select: {
      id: true,
      subject: true,
      bodyText: true,
      bodyHtml: true,
      office: { select: { id: true, chamber: true, title: true, fullName: true, email: true, active: true } },
      signature: {
        select: {
          firstName: true,
          lastName: true,
          email: true,
          status: true,
          moderation: true,
          erasedAt: true,
          campaign: { select: { id: true, mode: true, testInbox: true } },
        },
      },
    },
  },
} satisfies Prisma.DeliverySelect;

function forSending(row: Prisma.DeliveryGetPayload<{ select: typeof FOR_SENDING }>): LetterForDelivery {
  const { letter } = row;
  const { signature } = letter;
  return {
    deliveryId: row.id,
    attempts: row.attempts,
    lastError: row.lastError,
    letter: { id: letter.id, subject: letter.subject, bodyText: letter.bodyText, bodyHtml: letter.bodyHtml },
    supporter: {
      firstName: signature.firstName,
      lastName: signature.lastName,
      email: signature.email,
      confirmed: signature.status === "confirmed",
      moderation: signature.moderation,
      erased: signature.erasedAt !== null,
    },
    campaign: signature.campaign,
    office: letter.office,
  };
}

/** Letters enqueued per statement. */
const ENQUEUE_CHUNK = 500;
/** Attempt rows per INSERT: six values each, well under any database's parameter limit. */
const ATTEMPT_SLICE = 100;

type AttemptResult = Parameters<DeliveryStore["finishAttempt"]>[1];

/** A letter that went out, as recordSent records it. */
interface SentRecord {
  attemptId: string;
  id: string;
  workerId: string;
  sent: { messageId: string; response: string; recipient: string; at?: Date };
}

/**
 * The two writes every letter costs (its attempt's outcome and its "sent") are plain SQL:
 * Prisma's query compiler made each take four times as long as the statement itself (0.65 ms
 * against 0.16 ms on SQLite, measured), and they were most of a worker's time per letter. "Sent"
 * has the same condition as every settle: only while the lease is still this worker's.
 */
function markSentSql(
  id: string,
  workerId: string,
  sent: { messageId: string; response: string; recipient: string; at?: Date },
): Prisma.Sql {
  return Prisma.sql`
    UPDATE "Delivery"
       SET "status" = 'sent', "messageId" = ${sent.messageId}, "sentTo" = ${sent.recipient},
           "sentAt" = ${sent.at ?? new Date()}, "lastError" = NULL,
           "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "updatedAt" = ${new Date()}
     WHERE "id" = ${id} AND "leaseOwner" = ${workerId} AND "status" = 'sending'`;
}

function sentAttempt(sent: { messageId: string; response: string; recipient: string }): AttemptResult {
  return { outcome: "sent", response: sent.response, messageId: sent.messageId, recipient: sent.recipient };
}

function finishAttemptSql(attemptId: string, result: AttemptResult): Prisma.Sql {
  const recipient = result.recipient !== undefined ? Prisma.sql`, "recipient" = ${result.recipient}` : Prisma.empty;
  return Prisma.sql`
    UPDATE "DeliveryAttempt"
       SET "outcome" = ${result.outcome}, "response" = ${result.response ?? null},
           "messageId" = ${result.messageId ?? null}, "finishedAt" = ${result.finishedAt ?? new Date()}${recipient}
     WHERE "id" = ${attemptId}`;
}

/** The provider-neutral part of the store: everything except the claim. */
export abstract class PrismaDeliveryStore implements DeliveryStore {
  /**
   * The worker's per-letter statements (the claim, the batch's read, attempt rows, "sent") go
   * straight through the driver, with statements prepared once: through Prisma, its pipeline and
   * a fresh prepared statement cost more than the statements (bench/README.md). Not inside a
   * transaction (undefined there): the client's own connection must do the work.
   */
  protected readonly direct: DirectSql | undefined;
  /** recordSent's writes on the direct road, grouped while one is in flight (~/db/group-commit.server). */
  private readonly recordSentInGroups: ((sent: SentRecord) => Promise<boolean>) | undefined;

  constructor(protected readonly db: DbClient) {
    const direct = directSql(db);
    this.direct = direct;
    this.recordSentInGroups = direct && groupCommit((group: SentRecord[]) => this.recordSentGroup(group, direct));
  }

  /**
   * A group of letters that went out, each as recordSent records one, all or nothing; answers
   * whether each letter's lease was still its worker's. Here each letter's two writes in one
   * transaction (SQLite has one writer at a time); PostgreSQL's store writes the group in one
   * statement instead (see there why).
   */
  protected async recordSentGroup(group: SentRecord[], direct: DirectSql): Promise<boolean[]> {
    const changed = await direct.writeEach(
      group.flatMap((r) => [finishAttemptSql(r.attemptId, sentAttempt(r.sent)), markSentSql(r.id, r.workerId, r.sent)]),
    );
    // Each letter's second write is its "sent"; the count is whether the lease was still its worker's.
    return group.map((_, i) => changed[2 * i + 1] === 1);
  }

  abstract claim(options: ClaimOptions): Promise<ClaimedDelivery[]>;

  async enqueueForLetters(letterIds: readonly string[], options: { runAt?: Date } = {}): Promise<number> {
    const wanted = [...new Set(letterIds)];
    if (wanted.length > ENQUEUE_CHUNK) {
      // Databases cap the parameters of one statement (SQLite's limit is a few thousand): a big
      // batch (a re-drive, a bulk import) goes in slices.
      let created = 0;
      for (let i = 0; i < wanted.length; i += ENQUEUE_CHUNK) {
        created += await this.enqueueForLetters(wanted.slice(i, i + ENQUEUE_CHUNK), options);
      }
      return created;
    }
    if (wanted.length === 0) return 0;
    const channel = "email";
    const existing = await this.db.delivery.findMany({
      where: { letterId: { in: wanted }, channel },
      select: { letterId: true },
    });
    const have = new Set(existing.map((d) => d.letterId));
    const missingIds = wanted.filter((id) => !have.has(id));
    if (missingIds.length === 0) return 0;
    // The campaign and office travel with the delivery (see the schema) so the claim and the
    // counters need no joins.
    const missing = (
      await this.db.letter.findMany({
        where: { id: { in: missingIds } },
        select: { id: true, officeId: true, signature: { select: { campaignId: true } } },
      })
    ).map((l) => ({ letterId: l.id, officeId: l.officeId, campaignId: l.signature.campaignId }));
    const runAt = options.runAt ?? new Date();
    try {
      const { count } = await this.db.delivery.createMany({
        data: missing.map((row) => ({ ...row, channel, runAt })),
      });
      return count;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Someone else enqueued some of these between our read and our write (a double-clicked
      // confirmation link): create the rest one by one, letting the unique key drop duplicates.
      let created = 0;
      for (const row of missing) {
        try {
          await this.db.delivery.create({ data: { ...row, channel, runAt } });
          created += 1;
        } catch (inner) {
          if (!isUniqueViolation(inner)) throw inner;
        }
      }
      return created;
    }
  }

  async heartbeat(ids: readonly string[], workerId: string, leaseMs: number, now = new Date()): Promise<number> {
    if (ids.length === 0) return 0;
    const { count } = await this.db.delivery.updateMany({
      where: { id: { in: [...ids] }, leaseOwner: workerId, status: "sending" },
      data: { leaseExpiresAt: new Date(now.getTime() + leaseMs) },
    });
    return count;
  }

  async loadForSending(id: string): Promise<LetterForDelivery | null> {
    return (await this.loadManyForSending([id])).get(id) ?? null;
  }

  /** The batch's letters in one plain join (through Prisma, mapping the nested rows cost more than the query). */
  async loadManyForSending(ids: readonly string[]): Promise<Map<string, LetterForDelivery>> {
    if (ids.length === 0) return new Map();
    if (!this.direct) {
      const rows = await this.db.delivery.findMany({ where: { id: { in: [...ids] } }, select: FOR_SENDING });
      return new Map(rows.map((row) => [row.id, forSending(row)]));
    }
    const rows = await this.direct.all<SendingRow>(Prisma.sql`
      SELECT d."id", d."attempts", d."lastError",
             l."id" AS "letterId", l."subject", l."bodyText", l."bodyHtml",
             o."id" AS "officeId", o."chamber", o."title", o."fullName", o."email" AS "officeEmail", o."active",
             s."firstName", s."lastName", s."email", s."status", s."moderation", s."erasedAt",
             c."id" AS "campaignId", c."mode", c."testInbox"
        FROM "Delivery" d
        JOIN "Letter" l ON l."id" = d."letterId"
        JOIN "Office" o ON o."id" = l."officeId"
        JOIN "Signature" s ON s."id" = l."signatureId"
        JOIN "Campaign" c ON c."id" = s."campaignId"
       WHERE d."id" IN (${Prisma.join([...ids])})`);
    // Into the shape Prisma's select gives, so that forSending alone says what the fields mean.
    return new Map(
      rows.map((r) => [
        r.id,
        forSending({
          id: r.id,
          attempts: r.attempts,
          lastError: r.lastError,
          letter: {
            id: r.letterId,
            subject: r.subject,
            bodyText: r.bodyText,
            bodyHtml: r.bodyHtml,
            office: {
              id: r.officeId,
              chamber: r.chamber,
              title: r.title,
              fullName: r.fullName,
              email: r.officeEmail,
              active: dbBool(r.active),
            },
            signature: {
              firstName: r.firstName,
              lastName: r.lastName,
              email: r.email,
              status: r.status,
              moderation: r.moderation,
              erasedAt: dbDate(r.erasedAt),
              campaign: { id: r.campaignId, mode: r.mode, testInbox: r.testInbox },
            },
          },
        }),
      ]),
    );
  }

  /**
   * The two writes every letter costs (this and finishAttempt) are plain SQL: Prisma's query
   * compiler made each take four times as long as the statement itself (0.65 ms against 0.16 ms
   * on SQLite, measured), and they were most of a worker's time per letter. Same condition as
   * every settle: only while the lease is still this worker's.
   */
  async markSent(
    id: string,
    workerId: string,
    sent: { messageId: string; response: string; recipient: string; at?: Date },
  ): Promise<boolean> {
    return (await this.execute(markSentSql(id, workerId, sent))) === 1;
  }

  /**
   * Both writes as one on the direct road: one statement on PostgreSQL (the attempt's UPDATE as a
   * data-modifying CTE), one transaction on SQLite; and the letters a worker records while such a
   * write is in flight go together in the next (~/db/group-commit.server): one round trip and one
   * commit for several letters instead of one each. The attempt is written whatever the UPDATE of
   * the delivery finds, as finishAttempt alone would; the answer is that UPDATE's, as markSent's.
   */
  async recordSent(
    attemptId: string,
    id: string,
    workerId: string,
    sent: { messageId: string; response: string; recipient: string; at?: Date },
  ): Promise<boolean> {
    if (this.recordSentInGroups) return this.recordSentInGroups({ attemptId, id, workerId, sent });
    await this.execute(finishAttemptSql(attemptId, sentAttempt(sent)));
    return this.markSent(id, workerId, sent);
  }

  /** Runs one of the worker's hot plain-SQL writes; resolves with the rows changed. */
  protected execute(sql: Prisma.Sql): Promise<number> {
    return this.direct ? this.direct.run(sql) : this.db.$executeRaw(sql);
  }

  async markRetry(id: string, workerId: string, retry: { error: string; runAt: Date }): Promise<boolean> {
    return this.settle(id, workerId, {
      status: "queued",
      runAt: retry.runAt,
      lastError: retry.error,
    });
  }

  async markFailed(id: string, workerId: string, reason: string): Promise<boolean> {
    return this.settle(id, workerId, { status: "failed", lastError: reason });
  }

  async markHeld(id: string, workerId: string, reason: string): Promise<boolean> {
    return this.settle(id, workerId, { status: "held", lastError: reason });
  }

  async markCancelled(id: string, workerId: string, reason: string): Promise<boolean> {
    return this.settle(id, workerId, { status: "cancelled", lastError: reason });
  }

  async release(ids: readonly string[], workerId: string): Promise<number> {
    if (ids.length === 0) return 0;
    const { count } = await this.db.delivery.updateMany({
      where: { id: { in: [...ids] }, leaseOwner: workerId, status: "sending" },
      data: {
        status: "queued",
        leaseOwner: null,
        leaseExpiresAt: null,
        attempts: { decrement: 1 },
      },
    });
    return count;
  }

  async requeue(ids: readonly string[], now = new Date()): Promise<number> {
    if (ids.length === 0) return 0;
    const { count } = await this.db.delivery.updateMany({
      where: { id: { in: [...ids] }, status: { in: ["failed", "held"] } },
      data: {
        status: "queued",
        attempts: 0,
        runAt: now,
        leaseOwner: null,
        leaseExpiresAt: null,
        lastError: null,
      },
    });
    return count;
  }

  async startAttempt(attempt: {
    deliveryId: string;
    number: number;
    worker: string;
    recipient?: string | null;
    startedAt?: Date;
  }): Promise<string> {
    const row = await this.db.deliveryAttempt.create({
      data: {
        deliveryId: attempt.deliveryId,
        number: attempt.number,
        worker: attempt.worker,
        recipient: attempt.recipient ?? null,
        startedAt: attempt.startedAt ?? new Date(),
        outcome: "started",
      },
      select: { id: true },
    });
    return row.id;
  }

  async startAttempts(
    attempts: ReadonlyArray<{ deliveryId: string; number: number; worker: string; startedAt?: Date }>,
  ): Promise<Map<string, string>> {
    const now = new Date();
    const rows = attempts.map((a) => ({
      id: randomUUID(),
      deliveryId: a.deliveryId,
      number: a.number,
      worker: a.worker,
      startedAt: a.startedAt ?? now,
      outcome: "started",
    }));
    // Plain SQL as markSent (one statement a slice; a slice stays under any parameter limit).
    for (let i = 0; i < rows.length; i += ATTEMPT_SLICE) {
      const values = rows
        .slice(i, i + ATTEMPT_SLICE)
        .map((r) => Prisma.sql`(${r.id}, ${r.deliveryId}, ${r.number}, ${r.worker}, ${r.startedAt}, 'started')`);
      await this.execute(Prisma.sql`
        INSERT INTO "DeliveryAttempt" ("id", "deliveryId", "number", "worker", "startedAt", "outcome")
        VALUES ${Prisma.join(values)}`);
    }
    return new Map(rows.map((r) => [r.deliveryId, r.id]));
  }

  async dropUntriedAttempts(attemptIds: readonly string[]): Promise<void> {
    if (attemptIds.length === 0) return;
    await this.db.deliveryAttempt.deleteMany({ where: { id: { in: [...attemptIds] }, outcome: "started" } });
  }

  /** Plain SQL, as markSent (see there why). */
  async finishAttempt(attemptId: string, result: AttemptResult): Promise<void> {
    await this.execute(finishAttemptSql(attemptId, result));
  }

  /** Ends a claim with an outcome, only while the lease is still this worker's. */
  private async settle(id: string, workerId: string, data: Prisma.DeliveryUpdateManyMutationInput): Promise<boolean> {
    const { count } = await this.db.delivery.updateMany({
      where: { id, leaseOwner: workerId, status: "sending" },
      data: { ...data, leaseOwner: null, leaseExpiresAt: null },
    });
    return count === 1;
  }
}

/** A row of loadManyForSending's join, as either driver returns it. */
type SendingRow = {
  id: string;
  attempts: number;
  lastError: string | null;
  letterId: string;
  subject: string;
  bodyText: string;
  bodyHtml: string;
  officeId: string;
  chamber: string;
  title: string;
  fullName: string;
  officeEmail: string | null;
  active: boolean | number;
  firstName: string;
  lastName: string;
  email: string;
  status: string;
  moderation: string;
  erasedAt: Date | string | null;
  campaignId: string;
  mode: string;
  testInbox: string | null;
};

type ClaimedRow = {
  id: string;
  letterId: string;
  channel: string;
  attempts: number | bigint;
  runAt: Date | string;
  leaseExpiresAt: Date | string;
};

function toClaimed(rows: ClaimedRow[]): ClaimedDelivery[] {
  return rows
    .map((r) => ({
      id: r.id,
      letterId: r.letterId,
      channel: r.channel,
      attempts: Number(r.attempts),
      runAt: dbDate(r.runAt),
      leaseExpiresAt: dbDate(r.leaseExpiresAt),
    }))
    .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id.localeCompare(b.id));
}

/** The window the per-office rate limit counts claims in. */
export const RATE_WINDOW_MS = 60_000;

/**
 * The deliveries a claim may take, as SQL: due (queued and due, or sending with an expired lease),
 * not of a paused campaign, oldest first, and, with a rate limit, no more per office than the
 * office's budget for the last minute has left.
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
 * `dialect` holds what SQLite and PostgreSQL write differently: the date comparisons, and how a
 * query runs once per office.
 */
function candidatesSql(
  { limit, now, officeRatePerMinute }: { limit: number; now: Date; officeRatePerMinute?: number },
  dialect: {
    /** The two halves of "due", each written so that an index on (…, status, runAt, id) can serve it. */
    queuedDue: (alias: string) => Prisma.Sql;
    leaseExpired: (alias: string) => Prisma.Sql;
    claimedSince: (alias: string, date: Date) => Prisma.Sql;
    /** The ids a `walk` (a SELECT of ids that refers to the office as o) finds, for every office. */
    forEachOffice: (walk: Prisma.Sql) => Prisma.Sql;
  },
): Prisma.Sql {
  const notPaused = (alias: string) =>
    Prisma.sql`NOT EXISTS (SELECT 1 FROM "Campaign" p WHERE p."id" = ${Prisma.raw(alias)}."campaignId" AND p."paused")`;
  // A walk of due letters in claim order (an index serves the order), stopping after `limit`.
  const walk = (where: Prisma.Sql, due: (alias: string) => Prisma.Sql) => Prisma.sql`
    SELECT w."id", w."runAt" FROM "Delivery" w
     WHERE ${where} AND ${due("w")} AND ${notPaused("w")}
     ORDER BY w."runAt", w."id" LIMIT ${limit}`;
  if (!officeRatePerMinute) {
    // Two walks of the (status, runAt, id) index, each stopping after `limit` rows, then the
    // oldest of those. One condition with OR read and sorted every due row at each claim: 65 ms a
    // claim of ten with 100,000 letters queued, so a backlog (a campaign gone viral) slowed the
    // very queue that had to drain it.
    return Prisma.sql`
      SELECT d."id" FROM (
        SELECT * FROM (${walk(Prisma.sql`1 = 1`, dialect.queuedDue)}) queued
        UNION ALL
        SELECT * FROM (${walk(Prisma.sql`1 = 1`, dialect.leaseExpired)}) expired
      ) d
      ORDER BY d."runAt", d."id"
      LIMIT ${limit}`;
  }
  // With a rate limit, only each office's oldest `limit` due letters can be taken, whatever its
  // budget: those are walked office by office on the (officeId, status, runAt, id) index, so that
  // a backlog (the White House gets a letter from every supporter) is never read whole, and then
  // ranked within their office against what the office claimed in the last minute (read on the
  // (officeId, claimedAt) index, for the offices among the candidates only).
  const windowStart = new Date(now.getTime() - RATE_WINDOW_MS);
  const ofOffice = Prisma.sql`w."officeId" = o."id"`;
  const noOffice = Prisma.sql`w."officeId" IS NULL`;
  return Prisma.sql`
    SELECT ranked."id" FROM (
      SELECT c."id", c."runAt", c."officeId",
             ROW_NUMBER() OVER (PARTITION BY c."officeId" ORDER BY c."runAt", c."id") AS "place"
        FROM "Delivery" c
       WHERE c."id" IN (
             ${dialect.forEachOffice(Prisma.sql`SELECT x."id" FROM (${walk(ofOffice, dialect.queuedDue)}) x`)}
             UNION ALL
             ${dialect.forEachOffice(Prisma.sql`SELECT x."id" FROM (${walk(ofOffice, dialect.leaseExpired)}) x`)}
             UNION ALL
             SELECT x."id" FROM (${walk(noOffice, dialect.queuedDue)}) x
             UNION ALL
             SELECT x."id" FROM (${walk(noOffice, dialect.leaseExpired)}) x)
    ) ranked
     WHERE ranked."officeId" IS NULL
        OR ranked."place" + (SELECT COUNT(*) FROM "Delivery" r
                              WHERE r."officeId" = ranked."officeId" AND ${dialect.claimedSince("r", windowStart)})
           <= ${officeRatePerMinute}
     ORDER BY ranked."runAt", ranked."id"
     LIMIT ${limit}`;
}

/**
 * SQLite: one UPDATE … RETURNING. SQLite runs one writer at a time, so the sub-select and the
 * update cannot interleave with another claimer's; no row lock is needed.
 *
 * Dates: the better-sqlite3 adapter stores DateTime as ISO-8601 text ("2026-01-02T03:04:05.678+00:00")
 * and binds Date parameters the same way, and so does the store's own road (sqliteDateText). A row
 * written by plain SQL relying on the column default would hold SQLite's "2026-01-02 03:04:05"
 * instead, which does not compare correctly against the ISO form as text (a space sorts before
 * "T"), so the comparisons go through julianday(), which reads both. julianday() hides the column
 * from its index, so the claim without a rate limit, which runs all the time, first bounds runAt as
 * text: every row due in either form is below now's ISO text (a same-day "2026-01-02 10:00:00"
 * sorts before "2026-01-02T09:…" too, and julianday() then drops it), so the index walk misses none.
 */
export class SqliteDeliveryStore extends PrismaDeliveryStore {
  async claim({ workerId, limit, leaseMs, now = new Date(), officeRatePerMinute }: ClaimOptions) {
    if (limit <= 0) return [];
    const leaseExpiresAt = new Date(now.getTime() + leaseMs);
    const candidates = candidatesSql(
      { limit, now, officeRatePerMinute },
      {
        // A bound as text, which the index serves, then the exact test (see the class's comment).
        queuedDue: (a) =>
          Prisma.sql`${Prisma.raw(a)}."status" = 'queued' AND ${Prisma.raw(a)}."runAt" <= ${now}
                     AND julianday(${Prisma.raw(a)}."runAt") <= julianday(${now})`,
        leaseExpired: (a) =>
          Prisma.sql`${Prisma.raw(a)}."status" = 'sending' AND ${Prisma.raw(a)}."leaseExpiresAt" < ${now}
                     AND julianday(${Prisma.raw(a)}."leaseExpiresAt") < julianday(${now})`,
        // claimedAt is written only by the claim, always in the adapter's ISO form, so text
        // compares exactly, and the (officeId, claimedAt) index serves it.
        claimedSince: (a, date) => Prisma.sql`${Prisma.raw(a)}."claimedAt" > ${date}`,
        // No LATERAL in SQLite: the walk, correlated with the office, drives lookups by id.
        forEachOffice: (walk) => Prisma.sql`SELECT y."id" FROM "Office" o JOIN "Delivery" y ON y."id" IN (${walk})`,
      },
    );
    const claim = Prisma.sql`
      UPDATE "Delivery"
         SET "status" = 'sending',
             "leaseOwner" = ${workerId},
             "leaseExpiresAt" = ${leaseExpiresAt},
             "attempts" = "attempts" + 1,
             "claimedAt" = ${now},
             "updatedAt" = ${now}
       WHERE "id" IN (${candidates})
      RETURNING "id", "letterId", "channel", "attempts", "runAt", "leaseExpiresAt"`;
    // Through the driver as the per-letter writes (dates come back as stored text; toClaimed reads it).
    return toClaimed(
      this.direct ? await this.direct.all<ClaimedRow>(claim) : await this.db.$queryRaw<ClaimedRow[]>(claim),
    );
  }
}

/**
 * PostgreSQL: the same UPDATE, with the candidates locked `FOR UPDATE SKIP LOCKED`, so that
 * concurrent claimers each take different rows without waiting for one another (the rows another
 * claimer is taking are skipped, not waited for). The due-condition is repeated on the locked
 * rows: PostgreSQL re-reads a row that changed while it waited and drops it if it is no longer due
 * (a stalled worker that settled its expired claim at the last moment keeps its outcome).
 *
 * With a per-office rate limit the budget must be read and spent by one claimer at a time. Racing
 * claimers mostly rank the same oldest rows of an office and SKIP LOCKED keeps them apart, but their
 * snapshots can differ (a letter re-queued in between), and then two could spend the same budget;
 * a transaction-scoped advisory lock makes counting and claiming one step (a claim takes
 * milliseconds; the sending, which takes long, is not under it).
 */
export class PostgresDeliveryStore extends PrismaDeliveryStore {
  static readonly RATE_LOCK_KEY = 73_731_001;

  /**
   * The group's "sent" in one UPDATE of the deliveries (and its attempts' outcomes in one more, as
   * a data-modifying CTE): one round trip. Not one UPDATE per letter in one statement: the
   * counters' statement-level triggers (see the README's "Workers do not deadlock each other") lock
   * a statement's counter rows sorted by key, and one UPDATE per letter would lock the offices'
   * rows in the group's order, which two workers could hold in opposite orders.
   */
  protected override async recordSentGroup(group: SentRecord[], direct: DirectSql): Promise<boolean[]> {
    const now = new Date();
    const rows = group.map(
      (r) => Prisma.sql`(${r.attemptId}, ${r.id}, ${r.workerId}, ${r.sent.messageId}, ${r.sent.response},
                         ${r.sent.recipient}, ${r.sent.at ?? now}::timestamp(3))`,
    );
    const sent = await direct.all<{ id: string }>(Prisma.sql`
      WITH v ("attemptId", "id", "workerId", "messageId", "response", "recipient", "sentAt") AS (
             VALUES ${Prisma.join(rows)}),
           attempts AS (
             UPDATE "DeliveryAttempt" a
                SET "outcome" = 'sent', "response" = v."response", "messageId" = v."messageId",
                    "recipient" = v."recipient", "finishedAt" = ${now}
               FROM v
              WHERE a."id" = v."attemptId")
      UPDATE "Delivery" d
         SET "status" = 'sent', "messageId" = v."messageId", "sentTo" = v."recipient", "sentAt" = v."sentAt",
             "lastError" = NULL, "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "updatedAt" = ${now}
        FROM v
       WHERE d."id" = v."id" AND d."leaseOwner" = v."workerId" AND d."status" = 'sending'
      RETURNING d."id"`);
    const kept = new Set(sent.map((r) => r.id));
    return group.map((r) => kept.has(r.id));
  }

  async claim({ workerId, limit, leaseMs, now = new Date(), officeRatePerMinute }: ClaimOptions) {
    if (limit <= 0) return [];
    const leaseExpiresAt = new Date(now.getTime() + leaseMs);
    const due = (alias: string) =>
      Prisma.sql`((${Prisma.raw(alias)}."status" = 'queued' AND ${Prisma.raw(alias)}."runAt" <= ${now})
         OR (${Prisma.raw(alias)}."status" = 'sending' AND ${Prisma.raw(alias)}."leaseExpiresAt" < ${now}))`;
    const candidates = candidatesSql(
      { limit, now, officeRatePerMinute },
      {
        queuedDue: (a) => Prisma.sql`${Prisma.raw(a)}."status" = 'queued' AND ${Prisma.raw(a)}."runAt" <= ${now}`,
        leaseExpired: (a) =>
          Prisma.sql`${Prisma.raw(a)}."status" = 'sending' AND ${Prisma.raw(a)}."leaseExpiresAt" < ${now}`,
        claimedSince: (a, date) => Prisma.sql`${Prisma.raw(a)}."claimedAt" > ${date}`,
        forEachOffice: (walk) => Prisma.sql`SELECT y."id" FROM "Office" o CROSS JOIN LATERAL (${walk}) y`,
      },
    );
    const claim = Prisma.sql`
      UPDATE "Delivery" d
         SET "status" = 'sending',
             "leaseOwner" = ${workerId},
             "leaseExpiresAt" = ${leaseExpiresAt},
             "attempts" = d."attempts" + 1,
             "claimedAt" = ${now},
             "updatedAt" = ${now}
       WHERE d."id" IN (
             SELECT l."id" FROM "Delivery" l
              WHERE l."id" IN (${candidates}) AND ${due("l")}
                FOR UPDATE SKIP LOCKED)
      RETURNING d."id", d."letterId", d."channel", d."attempts", d."runAt", d."leaseExpiresAt"`;
    if (!officeRatePerMinute) {
      return toClaimed(
        this.direct ? await this.direct.all<ClaimedRow>(claim) : await this.db.$queryRaw<ClaimedRow[]>(claim),
      );
    }
    const lock = Prisma.sql`SELECT pg_advisory_xact_lock(${PostgresDeliveryStore.RATE_LOCK_KEY}::bigint)`;
    if ("$transaction" in this.db) {
      // The planner's estimate for this statement (a walk per office) passes PostgreSQL's JIT
      // threshold, and compiling it took 29 ms of a 30 ms claim (measured, 100,000 letters queued):
      // off for this transaction only.
      const [, , rows] = await this.db.$transaction([
        this.db.$executeRaw`SET LOCAL jit = off`,
        this.db.$executeRaw(lock),
        this.db.$queryRaw<ClaimedRow[]>(claim),
      ]);
      return toClaimed(rows);
    }
    // Already inside the caller's transaction: the lock is held until it ends.
    await this.db.$executeRaw(lock);
    return toClaimed(await this.db.$queryRaw<ClaimedRow[]>(claim));
  }
}

/** The store for this database: the claim in its dialect, everything else shared. */
export function createDeliveryStore(db: DbClient): DeliveryStore {
  return dbProvider(db) === "postgresql" ? new PostgresDeliveryStore(db) : new SqliteDeliveryStore(db);
}
