// The delivery worker: claims due deliveries, hands each batch to sendBatch (batch.server.ts, which
// sends each letter with sendLetter, send-letter.server.ts), and backs off when the database fails.
// Runs inline in the web process (WORKER=inline) or on its own (`npm run worker`, server/worker.ts);
// any number of workers can share one database, the claim keeps them apart.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { sendDueSupporterEmails } from "~/delivery/supporter-email/queue.server";
import type { Db } from "~/db/client.server";
import { sendBatch } from "./batch.server";
import type { OfficeChannels } from "./channels/channels.server";
import { consoleLogger, type DeliveryLogger } from "./logger.server";
import { DEFAULT_BACKOFF, DEFAULT_MAX_ATTEMPTS, type BackoffOptions } from "./errors.server";
import type { DeliveryStore } from "./queue/store";
import { createDeliveryStore } from "./queue/store.server";
import type { LetterSending } from "./send-letter.server";
import { onWorkQueued } from "./wake.server";
import { createMailTransport, type MailTransport } from "./transport.server";

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
  /** The channels besides e-mail that are on (./channels/channels.server.ts); none: e-mail only. */
  channels?: OfficeChannels;
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

/** A sleep that a wake-up cuts short; a wake-up that comes while awake skips the next sleep. */
class Doze {
  private wake: (() => void) | undefined;
  private pending = false;

  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.pending) {
        this.pending = false;
        return resolve();
      }
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  wakeUp(): void {
    if (this.wake) this.wake();
    else this.pending = true;
  }
}

/**
 * Who waits for the worker to find nothing due (drain(), idle). Claims are numbered so that a
 * waiter only trusts an empty claim that began after it started waiting: one that was already
 * running may have missed rows inserted just before.
 */
class IdleWatch {
  private claimsStarted = 0;
  private waiters: Array<{ after: number; resolve: () => void }> = [];

  /** A claim begins; returns its number. */
  claimStarts(): number {
    return ++this.claimsStarted;
  }

  /** The claim numbered `claim` found nothing due. */
  foundNothing(claim: number): void {
    const ready = this.waiters.filter((w) => claim > w.after);
    this.waiters = this.waiters.filter((w) => claim <= w.after);
    for (const w of ready) w.resolve();
  }

  next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ after: this.claimsStarted, resolve }));
  }

  /** The worker stopped: nobody waits for it any longer. */
  releaseAll(): void {
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }
}

export function startWorker(options: WorkerOptions): DeliveryWorker {
  const workerId = options.workerId ?? defaultWorkerId();
  const pollMs = options.pollMs ?? 1000;
  const batchSize = options.batchSize ?? 10;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const leaseMs = options.leaseMs ?? 60_000;
  const officeRatePerMinute = options.officeRatePerMinute || undefined;
  const sending: LetterSending = {
    store: options.store ?? createDeliveryStore(options.db),
    transport: options.transport,
    mailFrom: options.mailFrom,
    redirectTo: options.redirectTo,
    workerId,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    backoff: options.backoff ?? DEFAULT_BACKOFF,
    random: options.random ?? Math.random,
    logger: options.logger ?? consoleLogger,
    leaseMs,
    channels: options.channels,
  };
  const { store, logger } = sending;
  const batchOptions = {
    concurrency,
    heartbeatMs: options.heartbeatMs ?? Math.max(1, Math.floor(leaseMs / 3)),
    more: () => !stopping,
  };
  const doze = new Doze();
  const idle = new IdleWatch();
  let stopping = false;

  function sendSupporterMail(): Promise<number> {
    return sendDueSupporterEmails(options.db, {
      transport: sending.transport,
      mailFrom: sending.mailFrom,
      workerId,
      limit: batchSize,
      concurrency,
      leaseMs,
      backoff: sending.backoff,
      logger,
      random: sending.random,
    });
  }

  async function loop(): Promise<void> {
    // Consecutive failed rounds (the database is unreachable): the wait doubles up to 30 s, so a
    // worker rides out a database restart without hammering it, and picks up as soon as it is back.
    let failures = 0;
    while (!stopping) {
      try {
        const claimNumber = idle.claimStarts();
        // Supporters' e-mails first: a supporter is waiting for their confirmation link.
        const mailed = await sendSupporterMail();
        const batch = await store.claim({ workerId, limit: batchSize, leaseMs, officeRatePerMinute });
        failures = 0;
        if (batch.length === 0) {
          if (mailed > 0) continue;
          idle.foundNothing(claimNumber);
          if (!stopping) await doze.sleep(pollMs);
          continue;
        }
        await sendBatch(sending, batch, batchOptions);
      } catch (error) {
        failures += 1;
        const waitMs = Math.min(30_000, pollMs * 2 ** Math.min(failures - 1, 10));
        logger.error("delivery loop error; retrying", { error: String(error), waitMs });
        if (!stopping) await doze.sleep(waitMs);
      }
    }
    idle.releaseAll();
  }

  const running = loop();
  const nextIdle = () => (stopping ? Promise.resolve() : idle.next());

  return {
    workerId,
    async stop() {
      stopping = true;
      doze.wakeUp();
      await running;
    },
    drain() {
      const done = nextIdle();
      doze.wakeUp();
      return done;
    },
    nudge() {
      doze.wakeUp();
    },
    get idle() {
      return nextIdle();
    },
  };
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
  /** The channels besides e-mail that are on (createChannels). */
  channels?: OfficeChannels;
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
    channels: config.channels,
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
