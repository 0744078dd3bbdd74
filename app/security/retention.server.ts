// Address hashes are kept IP_RETENTION_DAYS and then dropped: hourly in every web process and
// worker, and on demand with `npm run ips:purge`.
import type { Db } from "~/db.server";
import { describeError } from "./errors.server";
import { purgeIpHashes } from "./ip-hash.server";

const HOUR_MS = 60 * 60 * 1000;

export function startIpHashPurge(db: Db, retentionDays: number, everyMs = HOUR_MS): { stop(): void } {
  const run = () =>
    purgeIpHashes(db, retentionDays).then(
      (count) => {
        if (count > 0) console.log(`[privacy] forgot the address hashes of ${count} signature(s)`);
      },
      (error) => console.error(`[privacy] could not purge address hashes: ${describeError(error)}`),
    );
  void run();
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
