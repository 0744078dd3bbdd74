// Rate limits on everything a stranger can post: signing, confirming, asking for a new link,
// asking to delete data and signing in. Counters live in the database (table RateLimit), so every
// web process and worker sharing the database shares the limits. rate-limiter-flexible's SQLite
// and PostgreSQL stores count with one upsert each, straight through the driver
// (rate-limits.sql.server.ts).
// Keys hold keyed hashes, never an address or e-mail in the clear.
import { RateLimiterRes, type RateLimiterStoreAbstract } from "rate-limiter-flexible";
import type { Db } from "~/db/client.server";
import type { Env } from "~/env.server";
import { ipHashKey, keyedHash } from "./ip-hash.server";
import { rateLimitStore, withBusyRetry } from "./rate-limits.sql.server";

const HOUR = 60 * 60;

type LimitEnv = Pick<
  Env,
  | "RATE_LIMIT_SIGN_PER_IP"
  | "RATE_LIMIT_SIGN_PER_EMAIL"
  | "RATE_LIMIT_CONFIRM_PER_IP"
  | "RATE_LIMIT_RESEND_PER_LINK"
  | "RATE_LIMIT_LOGIN_FAILURES_PER_EMAIL"
  | "RATE_LIMIT_LOGIN_FAILURES_PER_IP"
  | "RATE_LIMIT_ERASURE_PER_IP"
  | "IP_HASH_KEY"
  | "SESSION_SECRET"
>;

/** Each limit: how many points a key has per window (seconds). */
function definitions(env: LimitEnv) {
  return {
    /** Signature posts from one address (valid or not: a bot's junk counts too). */
    signPerIp: { points: env.RATE_LIMIT_SIGN_PER_IP, duration: HOUR },
    /** Signature posts for one e-mail address, from anywhere. */
    signPerEmail: { points: env.RATE_LIMIT_SIGN_PER_EMAIL, duration: HOUR },
    /** Confirmation-link opens and presses from one address: guessing tokens stops here. */
    confirmPerIp: { points: env.RATE_LIMIT_CONFIRM_PER_IP, duration: HOUR },
    /** "Send me a new link" for one link (so for one supporter's address). */
    resendPerLink: { points: env.RATE_LIMIT_RESEND_PER_LINK, duration: HOUR },
    /** Consecutive failed sign-ins for one e-mail from one address; a success clears it. */
    loginFailuresPerEmail: { points: env.RATE_LIMIT_LOGIN_FAILURES_PER_EMAIL, duration: HOUR },
    /** Failed sign-ins from one address, whatever the e-mail: stops spraying many accounts. */
    loginFailuresPerIp: { points: env.RATE_LIMIT_LOGIN_FAILURES_PER_IP, duration: 24 * HOUR },
    /** "Delete my data" requests from one address: each may e-mail a supporter. */
    erasurePerIp: { points: env.RATE_LIMIT_ERASURE_PER_IP, duration: HOUR },
  } as const;
}

export type LimitName = keyof ReturnType<typeof definitions>;

export interface RateLimits {
  /**
   * Counts one request against each of the given limits. Returns null if all allow it, else
   * the number of seconds until the first refusing limit allows it again.
   */
  consume(checks: Partial<Record<LimitName, string>>): Promise<number | null>;
  /** Seconds until the limit allows `key` again, or null if it allows it now (counts nothing). */
  blocked(checks: Partial<Record<LimitName, string>>): Promise<number | null>;
  /** Forgets a key's count (a successful sign-in clears its failures). */
  reset(name: LimitName, key: string): Promise<void>;
  /** The hashed form of an address or e-mail, as stored in keys. */
  keyFor(value: string): string;
  /** The key of those hashes (derived once: a key derivation per request costs CPU for nothing). */
  readonly hashKey: Buffer;
}

/** Counts whose window ended over an hour ago: nothing reads them again. */
export async function sweepExpired(db: Db, now = Date.now()): Promise<number> {
  const { count } = await db.rateLimit.deleteMany({ where: { expire: { lt: BigInt(now - 60 * 60 * 1000) } } });
  return count;
}

export function createRateLimits(db: Db, env: LimitEnv): RateLimits {
  const hashKey = ipHashKey(env);
  const limiters = Object.fromEntries(
    Object.entries(definitions(env)).map(([name, { points, duration }]) => [
      name,
      rateLimitStore(db, name, points, duration),
    ]),
  ) as Record<LimitName, RateLimiterStoreAbstract>;

  const secondsFrom = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

  return {
    async consume(checks) {
      let wait: number | null = null;
      for (const [name, key] of Object.entries(checks) as [LimitName, string][]) {
        try {
          await withBusyRetry(() => limiters[name].consume(key));
        } catch (error) {
          if (!(error instanceof RateLimiterRes)) throw error;
          wait = Math.max(wait ?? 0, secondsFrom(error.msBeforeNext));
        }
      }
      return wait;
    },
    async blocked(checks) {
      let wait: number | null = null;
      for (const [name, key] of Object.entries(checks) as [LimitName, string][]) {
        const res = await withBusyRetry(() => limiters[name].get(key));
        if (res && res.consumedPoints >= limiters[name].points) {
          wait = Math.max(wait ?? 0, secondsFrom(res.msBeforeNext));
        }
      }
      return wait;
    },
    async reset(name, key) {
      await withBusyRetry(() => limiters[name].delete(key));
    },
    keyFor(value) {
      return keyedHash(hashKey, value);
    },
    hashKey,
  };
}

/** "in 3 minutes", "in about an hour": when a limited person may try again. */
export function describeWait(seconds: number): string {
  if (seconds < 90) return `in ${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return `in ${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return hours <= 1 ? "in about an hour" : `in about ${hours} hours`;
}

/** The headers of a 429 answer. */
export function retryAfterHeaders(seconds: number): HeadersInit {
  return { "Retry-After": String(seconds), "Cache-Control": "no-store" };
}

const globalForLimits = globalThis as unknown as { __sincerelyLimits?: { db: Db; limits: RateLimits } };

/** The process's limits over the shared client. */
export function rateLimitsFor(db: Db, env: LimitEnv): RateLimits {
  if (globalForLimits.__sincerelyLimits?.db !== db) {
    globalForLimits.__sincerelyLimits = { db, limits: createRateLimits(db, env) };
  }
  return globalForLimits.__sincerelyLimits.limits;
}
