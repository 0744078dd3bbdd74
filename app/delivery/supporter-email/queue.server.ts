// Sending the queued supporter e-mails (see supporter-mail.server.ts). The worker calls
// `sendDueSupporterEmails` every round, before the letters: a supporter waits for their link.
// Claims work as for letters (the same claim, ~/delivery/queue/claim.sql.server): a lease per e-mail, so several workers never send one e-mail twice
// while they live, and one that died mid-send gives its e-mails back when the lease runs out.
import { randomUUID } from "node:crypto";
import type { SendMailOptions } from "nodemailer";
import type { DbClient } from "~/db/client.server";
import { classifySendError, nextRunAt, type BackoffOptions } from "~/delivery/errors.server";
import { inLanes } from "~/delivery/lanes.server";
import { mailDomain } from "~/delivery/message.server";
import type { MailTransport } from "~/delivery/transport.server";
import type { Prisma } from "~/generated/prisma/client";
import { unsubscribeHeaders } from "~/delivery/supporter-email/unsubscribe.server";
import { claimSupporterEmails, recordSupporterEmailsSent } from "./queue.sql.server";
import { renderSupporterEmail } from "./render.server";

/** A refusal for now is retried this many times (about a day with the default backoff) before the e-mail fails. */
export const SUPPORTER_EMAIL_MAX_ATTEMPTS = 8;

export interface SupporterMailLogger {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
}

/** The Message-ID of a supporter e-mail: the same on every attempt, so a repeat can be dropped. */
function supporterMessageId(id: string, mailFrom: string): string {
  return `<supporter-email.${id}@${mailDomain(mailFrom)}>`;
}

/** The id a supporter e-mail is sent under (its outbox file's name; see outboxFileName). */
export function supporterEmailSendId(id: string): string {
  return `supporter-${id}`;
}

/**
 * Sends the supporter e-mails that are due, up to `limit`; returns how many it claimed. Each is
 * settled only while its lease is this worker's. After an e-mail is sent, or fails for good, its
 * token is dropped: the database keeps only the hash from then on.
 *
 * Up to `concurrency` go out side by side (~/delivery/lanes.server), as the letters do: one at a
 * time, a worker waited out every round trip to the mail server with the pool idle, and sent at
 * most ~180 confirmations a second, fewer than a campaign gone viral collects (the benchmark's
 * sign measure). A database error on one e-mail leaves its claim to its lease, lets
 * the others finish, and is then thrown, so that the worker backs off as for any database error.
 */
export async function sendDueSupporterEmails(
  db: DbClient,
  options: {
    transport: MailTransport;
    mailFrom: string;
    workerId: string;
    limit: number;
    leaseMs: number;
    backoff: BackoffOptions;
    logger: SupporterMailLogger;
    random?: () => number;
    concurrency?: number;
  },
): Promise<number> {
  const { transport, mailFrom, workerId, logger } = options;
  const ids = await claimSupporterEmails(db, { workerId, limit: options.limit, leaseMs: options.leaseMs });
  if (ids.length === 0) return 0;
  const settle = (id: string, data: Prisma.SupporterEmailUpdateManyMutationInput) =>
    db.supporterEmail.updateMany({
      where: { id, leaseOwner: workerId, status: "sending" },
      data: { ...data, leaseOwner: null, leaseExpiresAt: null },
    });
  // The outcome of nearly every e-mail, as plain SQL (./queue.sql.server.ts), grouped while one
  // such write is in flight.
  const settleSent =
    recordSupporterEmailsSent(db, workerId) ??
    ((id: string) => settle(id, { status: "sent", sentAt: new Date(), token: null, lastError: null }));
  // The batch in one read (an e-mail whose signature was deleted since the claim is not found).
  const emails = new Map(
    (
      await db.supporterEmail.findMany({
        where: { id: { in: ids } },
        include: { signature: { select: { id: true, firstName: true, email: true, erasedAt: true } } },
      })
    ).map((email) => [email.id, email]),
  );

  async function sendOne(email: NonNullable<ReturnType<typeof emails.get>>): Promise<void> {
    const { id } = email;
    if (email.signature.erasedAt) {
      await settle(id, { status: "cancelled", token: null, lastError: "The supporter erased their data." });
      return;
    }
    if (email.attempts > SUPPORTER_EMAIL_MAX_ATTEMPTS) {
      // Only reached when earlier claims ended without an outcome (workers died mid-send).
      await settle(id, { status: "failed", token: null, lastError: email.lastError ?? "The worker stopped mid-send." });
      return;
    }
    let rendered;
    try {
      rendered = await renderSupporterEmail(email);
    } catch (error) {
      // An e-mail that cannot be written (a confirmation that lost its token) would fail the same
      // way on every claim: it fails once, with the reason, instead of blocking the queue.
      await settle(id, { status: "failed", token: null, lastError: `Could not be written: ${String(error)}` });
      logger.warn("supporter e-mail could not be written", { supporterEmailId: id, kind: email.kind });
      return;
    }
    const message: SendMailOptions = {
      from: mailFrom,
      to: email.signature.email,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      messageId: supporterMessageId(id, mailFrom),
      ...unsubscribeHeaders(email.signature.id),
    };
    try {
      await transport.send(supporterEmailSendId(id), message);
    } catch (error) {
      const failure = classifySendError(error);
      if (failure.kind === "permanent" || email.attempts >= SUPPORTER_EMAIL_MAX_ATTEMPTS) {
        await settle(id, { status: "failed", token: null, lastError: failure.reason });
        // The reason often quotes the address: the log keeps the e-mail's id, not the address.
        logger.warn("supporter e-mail failed", { supporterEmailId: id, kind: email.kind, attempts: email.attempts });
      } else {
        const runAt = nextRunAt(email.attempts, new Date(), options.backoff, options.random);
        await settle(id, { status: "queued", runAt, lastError: failure.reason });
        logger.info("supporter e-mail will be retried", { supporterEmailId: id, runAt });
      }
      return;
    }
    await settleSent(id);
  }

  const errors: unknown[] = [];
  await inLanes(
    ids.flatMap((id) => emails.get(id) ?? []),
    options.concurrency ?? 1,
    (email) => sendOne(email).catch((error: unknown) => void errors.push(error)),
  );
  if (errors.length > 0) throw errors[0];
  return ids.length;
}

/** A worker id for callers outside the worker (tests, commands). */
export function oneOffWorkerId(): string {
  return `one-off:${process.pid}:${randomUUID().slice(0, 8)}`;
}
