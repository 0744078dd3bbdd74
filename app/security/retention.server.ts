// Address hashes are kept IP_RETENTION_DAYS and then dropped: hourly in every web process and
// worker, and on demand with `npm run ips:purge`. The same hourly round deletes rate-limit counts
// whose window is long over (their keys are hashes of addresses and e-mails too).
import type { Db } from "~/db/client.server";
import { describeError } from "./errors.server";
import { purgeIpHashes } from "./ip-hash.server";
import { sweepExpired } from "./rate-limits.server";

const HOUR_MS = 60 * 60 * 1000;

export function startIpHashPurge(db: Db, retentionDays: number, everyMs = HOUR_MS): { stop(): void } {
  const run = () =>
    Promise.all([
      purgeIpHashes(db, retentionDays).then(
        (count) => {
          if (count > 0) console.log(`[privacy] forgot the address hashes of ${count} signature(s)`);
        },
        (error) => console.error(`[privacy] could not purge address hashes: ${describeError(error)}`),
      ),
      sweepExpired(db).catch((error) =>
        console.error(`[privacy] could not delete expired rate-limit counts: ${describeError(error)}`),
      ),
    ]);
  void run();
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
