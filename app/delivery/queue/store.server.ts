// The delivery queue kept in the database (./store.ts says what it promises). Everything but the
// claim and the "sent" of a group is the same on both databases and goes through Prisma, or, on
// the hot paths (the claim, the batch's read, attempt rows, "sent"), as plain SQL on the direct
// road (./claim.sql.server.ts, ./letters.sql.server.ts): through Prisma, its pipeline and a fresh
// prepared statement cost more than the statements (bench/README.md).
import { dbProvider, isUniqueViolation, type DbClient } from "~/db/client.server";
import type { Prisma } from "~/generated/prisma/client";
import type { LetterForDelivery } from "../message.server";
import { groupCommit } from "~/db/group-commit.server";
import { deliveriesSql, type DeliveriesSql, type SentRecord } from "./letters.sql.server";
import type { AttemptResult, ClaimedDelivery, ClaimOptions, DeliveryStore, SentLetter } from "./store";

/** Letters enqueued per statement. */
const ENQUEUE_CHUNK = 500;

/** The store on either database; the subclasses below hold what differs. */
export abstract class PrismaDeliveryStore implements DeliveryStore {
  /** The hot paths' plain SQL (./letters.sql.server.ts). */
  protected readonly sql: DeliveriesSql;

  /** recordSent's writes, grouped while one is in flight (~/db/group-commit.server); direct road only. */
  private readonly recordSentInGroups: ((sent: SentRecord) => Promise<boolean>) | undefined;

  constructor(
    protected readonly db: DbClient,
    provider: "sqlite" | "postgresql",
  ) {
    this.sql = deliveriesSql(db, provider);
    this.recordSentInGroups = this.sql.recordSentGroup && groupCommit((group) => this.recordSentGroup(group));
  }

  /** One group's write (see DeliveriesSql.recordSentGroup). */
  protected recordSentGroup(group: SentRecord[]): Promise<boolean[]> {
    return this.sql.recordSentGroup!(group);
  }

  claim(options: ClaimOptions): Promise<ClaimedDelivery[]> {
    return this.sql.claim(options);
  }

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

  loadManyForSending(ids: readonly string[]): Promise<Map<string, LetterForDelivery>> {
    return this.sql.loadForSending(ids);
  }

  markSent(id: string, workerId: string, sent: SentLetter): Promise<boolean> {
    return this.sql.markSent(id, workerId, sent);
  }

  /**
   * The attempt's outcome and "sent" in one write on the direct road, and the letters a worker
   * records while such a write is in flight go together in the next (~/db/group-commit.server):
   * one round trip and one commit for several letters instead of one each.
   */
  recordSent(attemptId: string, id: string, workerId: string, sent: SentLetter): Promise<boolean> {
    const record = { attemptId, id, workerId, sent };
    return this.recordSentInGroups ? this.recordSentInGroups(record) : this.sql.recordSent(record);
  }

  async markRetry(id: string, workerId: string, retry: { error: string; runAt: Date }): Promise<boolean> {
    return this.settle(id, workerId, { status: "queued", runAt: retry.runAt, lastError: retry.error });
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

  async markDeferred(id: string, workerId: string, deferral: { reason: string; runAt: Date }): Promise<boolean> {
    return this.settle(id, workerId, {
      status: "queued",
      runAt: deferral.runAt,
      lastError: deferral.reason,
      attempts: { decrement: 1 },
    });
  }

  async noteRoute(
    id: string,
    note: { channel: string; route: string; reference?: string | null; expectedAt?: Date | null },
  ): Promise<void> {
    await this.db.delivery.updateMany({
      where: { id },
      data: {
        channel: note.channel,
        route: note.route,
        ...(note.reference !== undefined ? { reference: note.reference } : {}),
        ...(note.expectedAt !== undefined ? { expectedAt: note.expectedAt } : {}),
      },
    });
  }

  async release(ids: readonly string[], workerId: string): Promise<number> {
    if (ids.length === 0) return 0;
    const { count } = await this.db.delivery.updateMany({
      where: { id: { in: [...ids] }, leaseOwner: workerId, status: "sending" },
      data: { status: "queued", leaseOwner: null, leaseExpiresAt: null, attempts: { decrement: 1 } },
    });
    return count;
  }

  async requeue(ids: readonly string[], now = new Date()): Promise<number> {
    if (ids.length === 0) return 0;
    const { count } = await this.db.delivery.updateMany({
      where: { id: { in: [...ids] }, status: { in: ["failed", "held"] } },
      data: { status: "queued", attempts: 0, runAt: now, leaseOwner: null, leaseExpiresAt: null, lastError: null },
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

  startAttempts(
    attempts: ReadonlyArray<{ deliveryId: string; number: number; worker: string; startedAt?: Date }>,
  ): Promise<Map<string, string>> {
    return this.sql.startAttempts(attempts);
  }

  async dropUntriedAttempts(attemptIds: readonly string[]): Promise<void> {
    if (attemptIds.length === 0) return;
    await this.db.deliveryAttempt.deleteMany({ where: { id: { in: [...attemptIds] }, outcome: "started" } });
  }

  finishAttempt(attemptId: string, result: AttemptResult): Promise<void> {
    return this.sql.finishAttempt(attemptId, result);
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

/** SQLite: one writer at a time, so the claim is one UPDATE … RETURNING (./claim.sql.server.ts). */
export class SqliteDeliveryStore extends PrismaDeliveryStore {
  constructor(db: DbClient) {
    super(db, "sqlite");
  }
}

/** PostgreSQL: claims SKIP LOCKED; with a rate limit, counting and claiming under one advisory lock. */
export class PostgresDeliveryStore extends PrismaDeliveryStore {
  constructor(db: DbClient) {
    super(db, "postgresql");
  }
}

/** The store for this database: the claim in its dialect, everything else shared. */
export function createDeliveryStore(db: DbClient): DeliveryStore {
  return dbProvider(db) === "postgresql" ? new PostgresDeliveryStore(db) : new SqliteDeliveryStore(db);
}
