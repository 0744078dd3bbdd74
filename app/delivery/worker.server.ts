// The delivery worker: claims due deliveries, sends them, records every attempt, and backs off.
// Runs inline in the web process (WORKER=inline) or on its own (`npm run worker`, server/worker.ts);
// any number of workers can share one database, the claim keeps them apart.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { sendDueSupporterEmails } from "~/delivery/supporter-email/queue.server";
import type { Db } from "~/db/client.server";
import {
  classifySendError,
  DEFAULT_BACKOFF,
  DEFAULT_MAX_ATTEMPTS,
  nextRunAt,
  type BackoffOptions,
} from "./errors.server";
import { inLanes } from "./lanes.server";
import { onWorkQueued } from "./wake.server";
import { buildLetterMessage, chooseRecipient, UNCONFIRMED_REASON, type LetterForDelivery } from "./message.server";
import type { ClaimedDelivery, DeliveryStore } from "./queue/store";
import { createDeliveryStore } from "./queue/store.server";
import { createMailTransport, type MailTransport } from "./transport.server";

export interface DeliveryLogger {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

function toConsole(write: (...args: unknown[]) => void) {
  return (message: string, details?: Record<string, unknown>) =>
    details ? write(`[delivery] ${message}`, details) : write(`[delivery] ${message}`);
}

export const consoleLogger: DeliveryLogger = {
  info: toConsole(console.info),
  warn: toConsole(console.warn),
  error: toConsole(console.error),
};

export interface WorkerOptions {
  db: Db;
  transport: MailTransport;
  mailFrom: string;
  /** MAIL_REDIRECT_TO: every letter goes here instead (staging). */
  redirectTo?: string;
  workerId?: string;
  /** How long an idle worker waits before looking for work again. */
  pollMs?: number;
  batchSize?: number;
  /** Letters of a batch sent at the same time (WORKER_CONCURRENCY; the SMTP pool has as many connections). */
  concurrency?: number;
  /** How long a claim is ours without a heartbeat; a crashed worker's letters come back after it. */
  leaseMs?: number;
  heartbeatMs?: number;
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /** OFFICE_RATE_PER_MINUTE: at most this many letters per office per minute, across all workers. */
  officeRatePerMinute?: number;
  logger?: DeliveryLogger;
  /** For tests: the store to use instead of the one for `db`. */
  store?: DeliveryStore;
  /** For tests: the jitter source. */
  random?: () => number;
}

export interface DeliveryWorker {
  readonly workerId: string;
  /** Stops claiming, finishes the letters in hand, gives back the rest of the batch. */
  stop(): Promise<void>;
  /** Works right away and resolves once a claim finds nothing due (tests, CLI). */
  drain(): Promise<void>;
  /** Works right away (something was just queued), without waiting for it. */
  nudge(): void;
  /** Resolves the next time the worker finds nothing due. */
  readonly idle: Promise<void>;
}

export function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

export function startWorker(options: WorkerOptions): DeliveryWorker {
  const workerId = options.workerId ?? defaultWorkerId();
  const pollMs = options.pollMs ?? 1000;
  const batchSize = options.batchSize ?? 10;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const leaseMs = options.leaseMs ?? 60_000;
  const heartbeatMs = options.heartbeatMs ?? Math.max(1, Math.floor(leaseMs / 3));
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const logger = options.logger ?? consoleLogger;
  const random = options.random ?? Math.random;
  const officeRatePerMinute = options.officeRatePerMinute || undefined;
  const store = options.store ?? createDeliveryStore(options.db);
  const { transport, mailFrom } = options;

  let stopping = false;
  let wake: (() => void) | undefined;
  // A wake-up that arrived while the worker was busy: its next sleep is skipped.
  let wakePending = false;
  // Claims are numbered so that drain() only trusts an empty claim that began after it was
  // called: one that was already running may have missed rows inserted just before.
  let claimsStarted = 0;
  let idleWaiters: Array<{ after: number; resolve: () => void }> = [];

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (wakePending) {
        wakePending = false;
        return resolve();
      }
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  function foundNothing(claimNumber: number) {
    const ready = idleWaiters.filter((w) => claimNumber > w.after);
    idleWaiters = idleWaiters.filter((w) => claimNumber <= w.after);
    for (const w of ready) w.resolve();
  }

  function nextIdle(): Promise<void> {
    if (stopping) return Promise.resolve();
    return new Promise((resolve) => idleWaiters.push({ after: claimsStarted, resolve }));
  }

  /**
   * Records what happened to a letter, trying again while the database is briefly unavailable (a
   * dropped connection, a lock conflict it aborted). After a letter went out this matters: an
   * outcome never recorded lets the lease run out, and then another worker sends the letter again.
   * The letter stays in hand meanwhile, so the heartbeat keeps its lease; after half a lease the
   * worker gives up and the lease decides, as after a crash.
   */
  async function record<T>(what: string, deliveryId: string, write: () => Promise<T>): Promise<T> {
    const giveUpAt = Date.now() + leaseMs / 2;
    for (let waitMs = 50; ; waitMs = Math.min(waitMs * 2, 2_000)) {
      try {
        return await write();
      } catch (error) {
        if (Date.now() + waitMs > giveUpAt) throw error;
        logger.warn(`could not record ${what}; trying again`, { deliveryId, error: String(error), waitMs });
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
  }

  /** Sends one letter of the batch (read and its attempt row opened with the batch) and records the outcome. */
  async function sendOne(claimed: ClaimedDelivery, context: LetterForDelivery, attemptId: string): Promise<void> {
    const { id } = claimed;
    const choice = context.supporter.confirmed
      ? chooseRecipient({
          campaign: context.campaign,
          office: context.office,
          redirectTo: options.redirectTo,
          moderation: context.supporter.moderation,
          erased: context.supporter.erased,
        })
      : ({ kind: "hold", reason: UNCONFIRMED_REASON } as const);
    if (choice.kind === "cancel") {
      await store.finishAttempt(attemptId, { outcome: "cancelled", response: choice.reason });
      await store.markCancelled(id, workerId, choice.reason);
      return;
    }
    if (choice.kind === "hold") {
      await store.finishAttempt(attemptId, {
        outcome: "held",
        response: choice.reason,
      });
      await store.markHeld(id, workerId, choice.reason);
      logger.info("delivery held", { deliveryId: id, reason: choice.reason });
      return;
    }

    const message = buildLetterMessage(context, { mailFrom, to: choice.to });
    let sent;
    try {
      sent = await transport.send(id, message);
    } catch (error) {
      const failure = classifySendError(error);
      await record("the attempt", id, () =>
        store.finishAttempt(attemptId, {
          outcome: failure.kind,
          response: failure.reason,
          messageId: message.messageId,
          recipient: choice.to,
        }),
      );
      if (failure.kind === "permanent") {
        await record("the refusal", id, () => store.markFailed(id, workerId, failure.reason));
        logger.warn("delivery refused", {
          deliveryId: id,
          reason: failure.reason,
        });
      } else if (claimed.attempts >= maxAttempts) {
        await record("the failure", id, () =>
          store.markFailed(id, workerId, giveUpReason(claimed.attempts, failure.reason)),
        );
        logger.warn("delivery failed: too many attempts", {
          deliveryId: id,
          reason: failure.reason,
        });
      } else {
        const runAt = nextRunAt(claimed.attempts, new Date(), backoff, random);
        await record("the retry", id, () => store.markRetry(id, workerId, { error: failure.reason, runAt }));
        logger.info("delivery will be retried", {
          deliveryId: id,
          reason: failure.reason,
          runAt,
        });
      }
      return;
    }

    // The attempt row is written even if the lease was lost meanwhile: the log still tells the truth.
    let tries = 0;
    const recorded = await record("the sending", id, () => {
      tries += 1;
      return store.recordSent(attemptId, id, workerId, sent);
    });
    if (!recorded) {
      // After a retry, `false` may also mean that a try whose answer was lost did commit.
      const why =
        tries === 1 ? "its lease passed to another worker" : "its lease passed, or an earlier try recorded it";
      logger.warn(`delivery sent, but not recorded as sent: ${why}; the receiver may see it twice`, {
        deliveryId: id,
        messageId: sent.messageId,
      });
    }
  }

  /**
   * The batch's letters are read in one query and their attempt rows opened in one statement (per
   * letter, those two were half the worker's database work). A letter whose earlier claims all
   * ended without an outcome (workers crashed mid-send, attempts over the limit) fails here
   * instead: it keeps killing workers, so it is not tried again.
   */
  async function work(batch: ClaimedDelivery[]): Promise<void> {
    const inHand = new Set(batch.map((d) => d.id));
    const heartbeat = setInterval(() => {
      store.heartbeat([...inHand], workerId, leaseMs).catch((error: unknown) => {
        logger.error("heartbeat failed", { error: String(error) });
      });
    }, heartbeatMs);
    let attemptIds = new Map<string, string>();
    try {
      const contexts = await store.loadManyForSending(batch.map((d) => d.id));
      const toTry: Array<{ claimed: ClaimedDelivery; context: LetterForDelivery }> = [];
      for (const claimed of batch) {
        const context = contexts.get(claimed.id);
        if (!context) {
          inHand.delete(claimed.id); // the letter was deleted (its delivery with it) since the claim
        } else if (claimed.attempts > maxAttempts) {
          await store.markFailed(
            claimed.id,
            workerId,
            giveUpReason(maxAttempts, context.lastError ?? "the worker stopped mid-send"),
          );
          logger.warn("delivery failed: too many attempts", { deliveryId: claimed.id });
          inHand.delete(claimed.id);
        } else {
          toTry.push({ claimed, context });
        }
      }
      attemptIds = await store.startAttempts(
        toTry.map(({ claimed }) => ({ deliveryId: claimed.id, number: claimed.attempts, worker: workerId })),
      );
      // A few letters of the batch go out side by side (~/delivery/lanes.server). Each letter
      // still settles its own claim, so the guarantee is the same as one at a time.
      await inLanes(
        toTry,
        concurrency,
        async ({ claimed, context }) => {
          try {
            await sendOne(claimed, context, attemptIds.get(claimed.id)!);
          } catch (error) {
            // A database error mid-delivery: leave the claim as it is. The lease expires and the
            // delivery comes back; releasing it here could hide an attempt that did happen.
            logger.error("delivery interrupted", {
              deliveryId: claimed.id,
              error: String(error),
            });
          } finally {
            inHand.delete(claimed.id);
            attemptIds.delete(claimed.id);
          }
        },
        () => !stopping,
      );
    } finally {
      clearInterval(heartbeat);
      if (inHand.size > 0) {
        try {
          const released = await store.release([...inHand], workerId);
          // Their attempt rows were opened with the batch, but they were never tried.
          await store.dropUntriedAttempts([...inHand].flatMap((id) => attemptIds.get(id) ?? []));
          logger.info("released unstarted deliveries", { count: released });
        } catch (error) {
          logger.error("release failed; the leases will expire", {
            error: String(error),
          });
        }
      }
    }
  }

  function sendSupporterMail(): Promise<number> {
    return sendDueSupporterEmails(options.db, {
      transport,
      mailFrom,
      workerId,
      limit: batchSize,
      concurrency,
      leaseMs,
      backoff,
      logger,
      random,
    });
  }

  async function loop(): Promise<void> {
    // Consecutive failed rounds (the database is unreachable): the wait doubles up to 30 s, so a
    // worker rides out a database restart without hammering it, and picks up as soon as it is back.
    let failures = 0;
    while (!stopping) {
      try {
        const claimNumber = ++claimsStarted;
        // Supporters' e-mails first: a supporter is waiting for their confirmation link.
        const mailed = await sendSupporterMail();
        const batch = await store.claim({
          workerId,
          limit: batchSize,
          leaseMs,
          officeRatePerMinute,
        });
        failures = 0;
        if (batch.length === 0) {
          if (mailed > 0) continue;
          foundNothing(claimNumber);
          if (!stopping) await sleep(pollMs);
          continue;
        }
        await work(batch);
      } catch (error) {
        failures += 1;
        const waitMs = Math.min(30_000, pollMs * 2 ** Math.min(failures - 1, 10));
        logger.error("delivery loop error; retrying", { error: String(error), waitMs });
        if (!stopping) await sleep(waitMs);
      }
    }
    for (const w of idleWaiters) w.resolve();
    idleWaiters = [];
  }

  const running = loop();

  return {
    workerId,
    async stop() {
      stopping = true;
      if (wake) wake();
      else wakePending = true;
      await running;
    },
    drain() {
      const done = nextIdle();
      if (wake) wake();
      else wakePending = true;
      return done;
    },
    nudge() {
      if (wake) wake();
      else wakePending = true;
    },
    get idle() {
      return nextIdle();
    },
  };
}

function giveUpReason(attempts: number, lastReason: string): string {
  return `Gave up after ${attempts} attempts. Last error: ${lastReason}`;
}

/**
 * The worker as the environment configures it, with its transport: used by server/worker.ts and
 * by the web server when WORKER=inline. `stop()` stops the worker and closes the transport.
 */
export function startWorkerFromEnv(config: {
  db: Db;
  env: {
    SMTP_URL?: string;
    OUTBOX_DIR: string;
    MAIL_FROM: string;
    MAIL_REDIRECT_TO?: string;
    WORKER_POLL_MS: number;
    WORKER_BATCH_SIZE?: number;
    WORKER_CONCURRENCY?: number;
    WORKER_LEASE_MS?: number;
    RETRY_BASE_MS?: number;
    RETRY_CAP_MS?: number;
    OFFICE_RATE_PER_MINUTE?: number;
  };
  logger?: DeliveryLogger;
  /** A transport the caller shares (the web process sends supporters' e-mails through it too) and closes. */
  transport?: MailTransport;
}): {
  worker: DeliveryWorker;
  transport: MailTransport;
  stop(): Promise<void>;
} {
  const { db, env } = config;
  const logger = config.logger ?? consoleLogger;
  const ownTransport = config.transport === undefined;
  const transport = config.transport ?? createMailTransport({ smtpUrl: env.SMTP_URL, outboxDir: env.OUTBOX_DIR });
  const worker = startWorker({
    db,
    transport,
    mailFrom: env.MAIL_FROM,
    redirectTo: env.MAIL_REDIRECT_TO,
    pollMs: env.WORKER_POLL_MS,
    batchSize: env.WORKER_BATCH_SIZE,
    concurrency: env.WORKER_CONCURRENCY,
    leaseMs: env.WORKER_LEASE_MS,
    backoff: {
      baseMs: env.RETRY_BASE_MS ?? DEFAULT_BACKOFF.baseMs,
      capMs: env.RETRY_CAP_MS ?? DEFAULT_BACKOFF.capMs,
    },
    officeRatePerMinute: env.OFFICE_RATE_PER_MINUTE,
    logger,
  });
  // Work queued by this process (the web server with WORKER=inline) goes at once.
  const unsubscribe = onWorkQueued(() => worker.nudge());
  logger.info("worker started", {
    workerId: worker.workerId,
    transport: transport.kind === "smtp" ? "SMTP" : `outbox folder ${env.OUTBOX_DIR}`,
    ...(env.MAIL_REDIRECT_TO ? { redirectTo: env.MAIL_REDIRECT_TO } : {}),
    ...(env.OFFICE_RATE_PER_MINUTE ? { officeRatePerMinute: env.OFFICE_RATE_PER_MINUTE } : {}),
  });
  return {
    worker,
    transport,
    async stop() {
      unsubscribe();
      await worker.stop();
      if (ownTransport) await transport.close();
    },
  };
}
