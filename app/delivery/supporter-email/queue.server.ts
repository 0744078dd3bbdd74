// Sending the queued supporter e-mails (see supporter-mail.server.ts). The worker calls
// `sendDueSupporterEmails` every round, before the letters: a supporter waits for their link.
// Claims work as for letters: a lease per e-mail, so several workers never send one e-mail twice
// while they live, and one that died mid-send gives its e-mails back when the lease runs out.
import { randomUUID } from "node:crypto";
import type { SendMailOptions } from "nodemailer";
import { dbProvider, type DbClient } from "~/db/client.server";
import { directSql } from "~/db/direct-sql.server";
import { classifySendError, nextRunAt, type BackoffOptions } from "~/delivery/errors.server";
import { inLanes } from "~/delivery/lanes.server";
import { mailDomain } from "~/delivery/message.server";
import type { MailTransport } from "~/delivery/transport.server";
import { Prisma } from "~/generated/prisma/client";
import { groupCommit } from "~/db/group-commit.server";
import { unsubscribeHeaders } from "~/delivery/supporter-email/unsubscribe.server";
import { renderSupporterEmail } from "./render.server";

/** A refusal for now is retried this many times (about a day with the default backoff) before the e-mail fails. */
export const SUPPORTER_EMAIL_MAX_ATTEMPTS = 8;

export interface SupporterMailLogger {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
}

/** Claims due supporter e-mails (queued and due, or sending with an expired lease), oldest first. */
export async function claimSupporterEmails(
  db: DbClient,
  { workerId, limit, leaseMs, now = new Date() }: { workerId: string; limit: number; leaseMs: number; now?: Date },
): Promise<string[]> {
  const leaseExpiresAt = new Date(now.getTime() + leaseMs);
  const postgres = dbProvider(db) === "postgresql";
  // Every worker round claims, even when nothing is due: on the direct road, as the letters'
  // claim (~/db/direct-sql.server), unless inside a caller's transaction.
  const direct = directSql(db);
  const claimed = async (claim: Prisma.Sql) =>
    (direct ? await direct.all<{ id: string }>(claim) : await db.$queryRaw<{ id: string }[]>(claim)).map((r) => r.id);
  // As the letters' claim (app/delivery/queue.server.ts): two walks of the (status, runAt, id)
  // index, each stopping after `limit`, then the oldest of those; one condition with OR read and
  // sorted every due e-mail at each claim, so a backlog (a mail server down while a campaign goes
  // viral) slowed the queue that had to drain it. SQLite bounds the dates as text, which the index
  // serves, then lets julianday() decide: it reads both date forms a row may hold.
  const queuedDue = postgres
    ? Prisma.sql`c."status" = 'queued' AND c."runAt" <= ${now}`
    : Prisma.sql`c."status" = 'queued' AND c."runAt" <= ${now} AND julianday(c."runAt") <= julianday(${now})`;
  const leaseExpired = postgres
    ? Prisma.sql`c."status" = 'sending' AND c."leaseExpiresAt" < ${now}`
    : Prisma.sql`c."status" = 'sending' AND c."leaseExpiresAt" < ${now}
                 AND julianday(c."leaseExpiresAt") < julianday(${now})`;
  const walk = (due: Prisma.Sql) =>
    Prisma.sql`SELECT c."id", c."runAt" FROM "SupporterEmail" c WHERE ${due} ORDER BY c."runAt", c."id" LIMIT ${limit}`;
  const candidates = Prisma.sql`
    SELECT d."id" FROM (
      SELECT * FROM (${walk(queuedDue)}) queued
      UNION ALL
      SELECT * FROM (${walk(leaseExpired)}) expired
    ) d
    ORDER BY d."runAt", d."id"
    LIMIT ${limit}`;
  if (postgres) {
    // The candidates locked SKIP LOCKED, so concurrent claimers take different e-mails without
    // waiting; the due-condition again on the locked rows, which PostgreSQL re-reads.
    return claimed(Prisma.sql`
      UPDATE "SupporterEmail" e
         SET "status" = 'sending', "leaseOwner" = ${workerId}, "leaseExpiresAt" = ${leaseExpiresAt},
             "attempts" = e."attempts" + 1, "updatedAt" = ${now}
       WHERE e."id" IN (
             SELECT l."id" FROM "SupporterEmail" l
              WHERE l."id" IN (${candidates})
                AND ((l."status" = 'queued' AND l."runAt" <= ${now})
                     OR (l."status" = 'sending' AND l."leaseExpiresAt" < ${now}))
                FOR UPDATE SKIP LOCKED)
      RETURNING e."id"`);
  }
  // SQLite: one writer at a time, so the sub-select and the update cannot interleave with another
  // claimer's.
  return claimed(Prisma.sql`
    UPDATE "SupporterEmail"
       SET "status" = 'sending', "leaseOwner" = ${workerId}, "leaseExpiresAt" = ${leaseExpiresAt},
           "attempts" = "attempts" + 1, "updatedAt" = ${now}
     WHERE "id" IN (${candidates})
    RETURNING "id"`);
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
  // The outcome of nearly every e-mail, on the direct road where there is one: through Prisma its
  // query compiler cost more than the statement (as for a letter's "sent", ~/delivery/queue.server);
  // the e-mails of the round that are sent while one such write is in flight are recorded
  // together in the next (~/db/group-commit.server).
  const direct = directSql(db);
  const settleSent = direct
    ? groupCommit(async (sent: string[]) => {
        const now = new Date();
        await direct.run(Prisma.sql`
          UPDATE "SupporterEmail"
             SET "status" = 'sent', "sentAt" = ${now}, "token" = NULL, "lastError" = NULL,
                 "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "updatedAt" = ${now}
           WHERE "id" IN (${Prisma.join(sent)}) AND "leaseOwner" = ${workerId} AND "status" = 'sending'`);
        return sent.map(() => undefined);
      })
    : (id: string) => settle(id, { status: "sent", sentAt: new Date(), token: null, lastError: null });
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
