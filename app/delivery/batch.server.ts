// A claimed batch of letters in a worker's hands: its leases kept alive by a heartbeat, its
// letters read in one query and their attempt rows opened in one statement (per letter, those two
// were half the worker's database work), a few sent side by side, and what was not started given
// back at the end (a stopping worker).
import { inLanes } from "./lanes.server";
import type { LetterForDelivery } from "./message.server";
import type { ClaimedDelivery } from "./queue/store";
import { giveUpReason, sendLetter, type LetterSending } from "./send-letter.server";

export interface BatchOptions {
  /** Letters sent at the same time (WORKER_CONCURRENCY; the SMTP pool has as many connections). */
  concurrency: number;
  heartbeatMs: number;
  /** Asked before each letter is started: false once the worker is stopping. */
  more: () => boolean;
}

/**
 * Sends a claimed batch. A letter whose earlier claims all ended without an outcome (workers
 * crashed mid-send, attempts over the limit) fails here instead: it keeps killing workers, so it is
 * not tried again.
 */
export async function sendBatch(
  sending: LetterSending,
  batch: ClaimedDelivery[],
  options: BatchOptions,
): Promise<void> {
  const { store, workerId, logger, leaseMs, maxAttempts } = sending;
  const inHand = new Set(batch.map((d) => d.id));
  const heartbeat = setInterval(() => {
    store.heartbeat([...inHand], workerId, leaseMs).catch((error: unknown) => {
      logger.error("heartbeat failed", { error: String(error) });
    });
  }, options.heartbeatMs);
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
    // A few letters of the batch go out side by side (./lanes.server). Each letter still settles
    // its own claim, so the guarantee is the same as one at a time.
    await inLanes(
      toTry,
      options.concurrency,
      async ({ claimed, context }) => {
        try {
          await sendLetter(sending, claimed, context, attemptIds.get(claimed.id)!);
        } catch (error) {
          // A database error mid-delivery: leave the claim as it is. The lease expires and the
          // delivery comes back; releasing it here could hide an attempt that did happen.
          logger.error("delivery interrupted", { deliveryId: claimed.id, error: String(error) });
        } finally {
          inHand.delete(claimed.id);
          attemptIds.delete(claimed.id);
        }
      },
      options.more,
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
        logger.error("release failed; the leases will expire", { error: String(error) });
      }
    }
  }
}
