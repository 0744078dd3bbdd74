// A service's send rate held across every worker and process sharing the database: the Senate's
// CWC service takes at most 5 messages a second from a vendor. Each send is a row of ChannelSend;
// a worker takes a slot by recording its send, in one step with counting the sends of the last
// second (./send-rate.sql.server.ts says how each database makes that one step), and when the
// window is full it waits until the oldest send in it leaves, then tries again. So any 1-second
// window holds at most 5 sends, however many workers there are, and a letter waits for its turn
// rather than being refused.
//
// Why not the RateLimit table and rate-limiter-flexible, which the sign-in and signing limits use:
// its stores count in fixed windows that start at a key's first point, so 5 sends at the end of
// one window and 5 at the start of the next put 10 in one second; and they refuse rather than wait
// (their waiting queue lives in one process's memory).
import type { Db } from "~/db/client.server";
import type { SendRateLimiter } from "./cwc/senate.server";
import { channelSendsSql } from "./send-rate.sql.server";

export interface DatabaseSendRateOptions {
  /** The log's key: the channel's name, e.g. "senate-cwc". */
  channel: string;
  max: number;
  perMs: number;
  /** Sends older than this are deleted now and then (default: a minute). */
  keepMs?: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** At most `max` sends of `channel` in any `perMs`, across every client of the database. */
export function databaseSendRate(db: Db, options: DatabaseSendRateOptions): SendRateLimiter {
  const sql = channelSendsSql(db);
  const { channel, max, perMs } = options;
  const keepMs = Math.max(options.keepMs ?? 60_000, perMs);
  let lastPrune = 0;
  // This process's callers take turns (as in inMemorySendRate): they would only race each other
  // for the same slot in the database.
  let queue: Promise<void> = Promise.resolve();

  const takeSlot = async (signal?: AbortSignal) => {
    for (;;) {
      signal?.throwIfAborted();
      if (await sql.take(channel, max, perMs)) break;
      // Full: until the oldest send leaves the window (by the database's clock), at least 1 ms;
      // another worker may take that slot first, and then this one waits again.
      const waitMs = await sql.waitMs(channel, max, perMs);
      await sleep(Math.min(Math.max(waitMs, 1), perMs), signal);
    }
    if (Date.now() - lastPrune >= keepMs) {
      lastPrune = Date.now();
      // Housekeeping: a failure here costs nothing but a larger table until the next time.
      await sql.prune(channel, keepMs).catch(() => undefined);
    }
  };

  return {
    acquire(signal) {
      const turn = queue.then(() => takeSlot(signal));
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}

/** The Senate CWC's limit: 5 messages a second, counted across all our workers. */
export function senateSendRate(db: Db): SendRateLimiter {
  return databaseSendRate(db, { channel: "senate-cwc", max: 5, perMs: 1000 });
}
