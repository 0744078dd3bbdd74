// The delivery queue: one row per letter per channel in "Delivery", claimed with a lease.
//
// Guarantee: at least once. A worker that crashes mid-send loses its lease, and the delivery is
// claimed again once the lease expires; the stable Message-ID (see ../message.server.ts) lets a
// receiver drop the rare duplicate. Every state change after the claim is conditional on the
// lease still being ours, so a worker that stalled past its lease cannot overwrite the outcome of
// the worker that took over. This is the queue as the worker sees it; ./store.server.ts keeps it
// in the database.
import type { LetterForDelivery } from "../message.server";

export type AttemptOutcome = "started" | "sent" | "transient" | "permanent" | "held" | "cancelled" | "deferred";

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

/** What a sent letter's records say: its Message-ID, the server's answer, where it went. */
export interface SentLetter {
  messageId: string;
  response: string;
  recipient: string;
  at?: Date;
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
  markSent(id: string, workerId: string, sent: SentLetter): Promise<boolean>;
  /**
   * A letter went out: its attempt row's outcome (written whatever became of the lease, so the log
   * tells the truth) and the delivery's "sent" (only while the lease is still this worker's; the
   * answer says whether it was). finishAttempt then markSent, in one statement where the
   * database allows it.
   */
  recordSent(attemptId: string, id: string, workerId: string, sent: SentLetter): Promise<boolean>;
  markRetry(id: string, workerId: string, retry: { error: string; runAt: Date }): Promise<boolean>;
  markFailed(id: string, workerId: string, reason: string): Promise<boolean>;
  markHeld(id: string, workerId: string, reason: string): Promise<boolean>;
  /** Never to be sent (its signature was rejected in moderation). */
  markCancelled(id: string, workerId: string, reason: string): Promise<boolean>;
  /**
   * Puts a claimed delivery back without spending its attempt, to be tried at `runAt`: its channel
   * is paused (our configuration is wrong) or in a maintenance window. Only while the lease holds.
   */
  markDeferred(id: string, workerId: string, deferral: { reason: string; runAt: Date }): Promise<boolean>;
  /** Which channel a delivery went by and why, and the service's reference for it (shown to organizers). */
  noteRoute(
    id: string,
    note: { channel: string; route: string; reference?: string | null; expectedAt?: Date | null },
  ): Promise<void>;
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

/** An attempt's outcome as finishAttempt writes it. */
export type AttemptResult = Parameters<DeliveryStore["finishAttempt"]>[1];
