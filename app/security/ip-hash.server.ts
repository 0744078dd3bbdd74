// Client addresses are kept only as keyed hashes (HMAC-SHA256): enough to tell that many
// signatures came from one address, useless to anyone who reads the database without the key.
// A signature's hash is dropped after IP_RETENTION_DAYS (see purgeIpHashes).
import { createHmac, hkdfSync } from "node:crypto";
import type { DbClient } from "~/db/client.server";
import type { Env } from "~/env.server";

// Outside production with no secret set, a fixed key keeps hashes (and so rate-limit keys)
// the same across processes and restarts. Production refuses to start without SESSION_SECRET.
const DEV_KEY = "sincerely-development-ip-hash-key";

/** IP_HASH_KEY if set, else a key derived from SESSION_SECRET (never the secret itself). */
export function ipHashKey(env: Pick<Env, "IP_HASH_KEY" | "SESSION_SECRET">): Buffer {
  if (env.IP_HASH_KEY) return Buffer.from(env.IP_HASH_KEY);
  const secret = env.SESSION_SECRET ?? DEV_KEY;
  return Buffer.from(hkdfSync("sha256", secret, "sincerely", "client address hashes", 32));
}

export function keyedHash(key: Buffer, value: string): string {
  return createHmac("sha256", key).update(value).digest("base64url");
}

/** The address as Express reports it, in one form ("::ffff:1.2.3.4" is 1.2.3.4). */
export function normaliseIp(ip: string | undefined): string {
  if (!ip) return "unknown";
  return ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "").toLowerCase();
}

/** Forgets the address hashes of signatures older than the retention period. Returns how many. */
export async function purgeIpHashes(db: DbClient, retentionDays: number, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - retentionDays * 24 * 60 * 60 * 1000);
  const { count } = await db.signature.updateMany({
    where: { ipHash: { not: null }, createdAt: { lt: before } },
    data: { ipHash: null },
  });
  return count;
}
