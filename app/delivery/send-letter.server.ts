// One letter of a claimed batch: where it goes (or why it waits), the send, and its outcome
// recorded on the delivery and its attempt. The worker (worker.server.ts) claims and paces; this is
// what it does with each letter.
import { classifySendError, nextRunAt, type BackoffOptions } from "./errors.server";
import {
  buildLetterMessage,
  chooseRecipient,
  letterGate,
  UNCONFIRMED_REASON,
  type LetterForDelivery,
} from "./message.server";
import type { ChannelName } from "./channels/channel";
import type { OfficeChannels } from "./channels/channels.server";
import { letterOffice, outgoingLetter } from "./channels/outgoing-letter";
import { routeLetter } from "./channels/routing";
import type { ClaimedDelivery, DeliveryStore } from "./queue/store";
import type { MailTransport } from "./transport.server";
import type { DeliveryLogger } from "./logger.server";

/** What sending a letter needs from its worker. */
export interface LetterSending {
  store: DeliveryStore;
  transport: MailTransport;
  mailFrom: string;
  /** MAIL_REDIRECT_TO: every letter goes here instead (staging). */
  redirectTo?: string;
  workerId: string;
  maxAttempts: number;
  backoff: BackoffOptions;
  random: () => number;
  logger: DeliveryLogger;
  /** The lease: an outcome is retried for up to half of it (see recordOutcome). */
  leaseMs: number;
  /** The channels besides e-mail that are on (none: every letter goes by e-mail, as it always did). */
  channels?: OfficeChannels;
}

/** A paused channel (a refused key, a wrong address) is tried again after this long. */
export const CHANNEL_PAUSE_MS = 5 * 60_000;

export function giveUpReason(attempts: number, lastReason: string): string {
  return `Gave up after ${attempts} attempts. Last error: ${lastReason}`;
}

/**
 * Records what happened to a letter, trying again while the database is briefly unavailable (a
 * dropped connection, a lock conflict it aborted). After a letter went out this matters: an
 * outcome never recorded lets the lease run out, and then another worker sends the letter again.
 * The letter stays in hand meanwhile, so the heartbeat keeps its lease; after half a lease the
 * worker gives up and the lease decides, as after a crash.
 */
async function recordOutcome<T>(
  sending: LetterSending,
  what: string,
  deliveryId: string,
  write: () => Promise<T>,
): Promise<T> {
  const giveUpAt = Date.now() + sending.leaseMs / 2;
  for (let waitMs = 50; ; waitMs = Math.min(waitMs * 2, 2_000)) {
    try {
      return await write();
    } catch (error) {
      if (Date.now() + waitMs > giveUpAt) throw error;
      sending.logger.warn(`could not record ${what}; trying again`, { deliveryId, error: String(error), waitMs });
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

/** Sends one letter of the batch (read and its attempt row opened with the batch) and records the outcome. */
export async function sendLetter(
  sending: LetterSending,
  claimed: ClaimedDelivery,
  context: LetterForDelivery,
  attemptId: string,
): Promise<void> {
  const { store, transport, workerId, logger } = sending;
  const { id } = claimed;
  const record = <T>(what: string, write: () => Promise<T>) => recordOutcome(sending, what, id, write);
  const gate = context.supporter.confirmed
    ? letterGate({ moderation: context.supporter.moderation, erased: context.supporter.erased })
    : ({ kind: "hold", reason: UNCONFIRMED_REASON } as const);
  const channels = sending.channels ?? {};
  if (!gate && Object.keys(channels).length > 0 && context.office.active) {
    // Routed to e-mail, sendByRoute answers "email": the office's own address, or a test
    // campaign's inbox, as chooseRecipient decides below.
    if ((await sendByRoute(sending, channels, claimed, context, attemptId)) === "done") return;
  }
  const choice =
    gate ??
    chooseRecipient({
      campaign: context.campaign,
      office: context.office,
      redirectTo: sending.redirectTo,
      moderation: context.supporter.moderation,
      erased: context.supporter.erased,
    });
  if (choice.kind === "cancel") {
    await store.finishAttempt(attemptId, { outcome: "cancelled", response: choice.reason });
    await store.markCancelled(id, workerId, choice.reason);
    return;
  }
  if (choice.kind === "hold") {
    await store.finishAttempt(attemptId, { outcome: "held", response: choice.reason });
    await store.markHeld(id, workerId, choice.reason);
    logger.info("delivery held", { deliveryId: id, reason: choice.reason });
    return;
  }

  const message = buildLetterMessage(context, { mailFrom: sending.mailFrom, to: choice.to });
  let sent;
  try {
    sent = await transport.send(id, message);
  } catch (error) {
    const failure = classifySendError(error);
    await record("the attempt", () =>
      store.finishAttempt(attemptId, {
        outcome: failure.kind,
        response: failure.reason,
        messageId: message.messageId,
        recipient: choice.to,
      }),
    );
    if (failure.kind === "permanent") {
      await record("the refusal", () => store.markFailed(id, workerId, failure.reason));
      logger.warn("delivery refused", { deliveryId: id, reason: failure.reason });
    } else if (claimed.attempts >= sending.maxAttempts) {
      await record("the failure", () => store.markFailed(id, workerId, giveUpReason(claimed.attempts, failure.reason)));
      logger.warn("delivery failed: too many attempts", { deliveryId: id, reason: failure.reason });
    } else {
      const runAt = nextRunAt(claimed.attempts, new Date(), sending.backoff, sending.random);
      await record("the retry", () => store.markRetry(id, workerId, { error: failure.reason, runAt }));
      logger.info("delivery will be retried", { deliveryId: id, reason: failure.reason, runAt });
    }
    return;
  }

  // The attempt row is written even if the lease was lost meanwhile: the log still tells the truth.
  let tries = 0;
  const recorded = await record("the sending", () => {
    tries += 1;
    return store.recordSent(attemptId, id, workerId, sent);
  });
  if (!recorded) {
    // After a retry, `false` may also mean that a try whose answer was lost did commit.
    const why = tries === 1 ? "its lease passed to another worker" : "its lease passed, or an earlier try recorded it";
    logger.warn(`delivery sent, but not recorded as sent: ${why}; the receiver may see it twice`, {
      deliveryId: id,
      messageId: sent.messageId,
    });
  }
}

/**
 * Routes a letter (./channels/routing.ts) and, unless its route is e-mail, sends it by its channel
 * and records the outcome: sent, retried, failed with the service's reasons, held when no channel
 * takes the office, or put back without spending an attempt while the channel is paused or in a
 * maintenance window. A "not taken" refusal moves the letter to the office's next channel at once.
 */
async function sendByRoute(
  sending: LetterSending,
  channels: OfficeChannels,
  claimed: ClaimedDelivery,
  context: LetterForDelivery,
  attemptId: string,
): Promise<"done" | "email"> {
  const { store, workerId, logger } = sending;
  const { id } = claimed;
  const record = <T>(what: string, write: () => Promise<T>) => recordOutcome(sending, what, id, write);
  const office = letterOffice(context.office);
  const refusedBy: ChannelName[] = [];
  const refusals: string[] = [];
  for (;;) {
    const route = routeLetter(office, {
      mode: context.campaign.mode === "live" ? "live" : "test",
      testInbox: context.campaign.testInbox,
      channelsOff: context.campaign.channelsOff,
      refusedBy,
      accepts: (name, to) => channels[name]?.accepts(to) ?? false,
    });
    const why = [route.why, ...refusals].join("; ");
    if (route.channel === "email") {
      // Written only when it changed (a retry routes the same way): a write on the worker's hot path.
      if (context.channel !== "email" || context.route !== why)
        await store.noteRoute(id, { channel: "email", route: why });
      return "email";
    }
    const channel = route.channel && channels[route.channel];
    if (!route.channel || !channel) {
      await store.finishAttempt(attemptId, { outcome: "held", response: why });
      await store.markHeld(id, workerId, why);
      await store.noteRoute(id, { channel: context.channel, route: why });
      logger.info("delivery held", { deliveryId: id, reason: why });
      return "done";
    }
    const outcome = await channel.send(outgoingLetter(context, claimed.attempts));
    if (outcome.kind === "not-taken") {
      refusedBy.push(route.channel);
      refusals.push(`${route.channel} did not take it: ${outcome.reason}`);
      continue;
    }
    await store.noteRoute(id, {
      channel: route.channel,
      route: why,
      ...(outcome.kind === "sent"
        ? { reference: outcome.reference ?? null, expectedAt: outcome.expectedDelivery ?? null }
        : {}),
    });
    if (outcome.kind === "sent") {
      const sent = { messageId: outcome.reference ?? "", response: outcome.response, recipient: outcome.recipient };
      const recorded = await record("the sending", () => store.recordSent(attemptId, id, workerId, sent));
      if (!recorded) logger.warn("delivery sent, but not recorded as sent: its lease passed", { deliveryId: id });
      return "done";
    }
    const response = [outcome.reason, ...(outcome.kind === "permanent" ? (outcome.errors ?? []) : [])].join("\n");
    if (outcome.kind === "paused" || outcome.kind === "waiting") {
      const runAt = outcome.kind === "waiting" ? outcome.until : new Date(Date.now() + CHANNEL_PAUSE_MS);
      await record("the attempt", () => store.finishAttempt(attemptId, { outcome: "deferred", response }));
      await record("the deferral", () => store.markDeferred(id, workerId, { reason: outcome.reason, runAt }));
      logger.warn(`${route.channel} ${outcome.kind}: the letter waits`, {
        deliveryId: id,
        reason: outcome.reason,
        runAt,
      });
      return "done";
    }
    await record("the attempt", () =>
      store.finishAttempt(attemptId, { outcome: outcome.kind, response, recipient: office.fullName }),
    );
    if (outcome.kind === "permanent") {
      await record("the refusal", () => store.markFailed(id, workerId, response));
      logger.warn("delivery refused", { deliveryId: id, channel: route.channel, reason: outcome.reason });
    } else if (claimed.attempts >= sending.maxAttempts) {
      await record("the failure", () => store.markFailed(id, workerId, giveUpReason(claimed.attempts, outcome.reason)));
    } else {
      const backoff = nextRunAt(claimed.attempts, new Date(), sending.backoff, sending.random);
      const runAt = outcome.retryAfterMs
        ? new Date(Math.max(backoff.getTime(), Date.now() + outcome.retryAfterMs))
        : backoff;
      await record("the retry", () => store.markRetry(id, workerId, { error: outcome.reason, runAt }));
    }
    return "done";
  }
}
