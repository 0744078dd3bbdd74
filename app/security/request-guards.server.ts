// What routes call: the client's hashed address, and the process's rate limits.
import type { AppLoadContext } from "@remix-run/node";
import { db } from "~/db/client.server";
import { env } from "~/env.server";
import { keyedHash, normaliseIp } from "./ip-hash.server";
import { describeWait, rateLimitsFor, retryAfterHeaders, type RateLimits } from "./rate-limits.server";
import "./context";

export function limits(): RateLimits {
  return rateLimitsFor(db(), env());
}

/** The keyed hash of the client's address (what Signature.ipHash and the per-address limits hold). */
export function clientIpHash(context: AppLoadContext | undefined): string {
  return keyedHash(limits().hashKey, normaliseIp(context?.clientIp));
}

/** The hash to store with a new signature, or null when addresses are not kept (IP_RETENTION_DAYS=0). */
export function ipHashToStore(context: AppLoadContext | undefined): string | null {
  return env().IP_RETENTION_DAYS === 0 ? null : clientIpHash(context);
}

/** The limit key of an e-mail address (hashed: the table holds no address in the clear). */
export function emailKey(email: string): string {
  return limits().keyFor(`email:${email.trim().toLowerCase()}`);
}

export function tooManyMessage(seconds: number): string {
  return `Too many tries from here in a short time. Please try again ${describeWait(seconds)}.`;
}

export { retryAfterHeaders };
