// E-mails to supporters (not letters to offices): the confirmation link, and the note that tells
// someone who signed again what state their signature is in. They are queued (SupporterEmail) in
// the transaction that calls for them and sent by the worker (~/delivery/supporter-email/queue.server):
// the sign form never waits on the mail server, an e-mail is never lost between the signature and
// the mail server, and one the server refuses for now is retried like a letter.
import type { Db } from "~/db/client.server";
import type { SupporterEmailContent } from "~/delivery/supporter-email/render.server";
import { workQueued } from "~/delivery/wake.server";
import type { Campaign, Signature } from "~/generated/prisma/client";
import { newToken, tokenExpiry } from "~/security/tokens.server";

/** After the n-th e-mail, the next waits a minute, then two, four… at most a day. */
export function quietTimeMs(emailsSent: number): number {
  return Math.min(24 * 60 * 60 * 1000, 60_000 * 2 ** Math.max(0, emailsSent - 1));
}

export type SupporterEmailKind = "confirmation" | "already_signed";

export function contentOf(campaign: Pick<Campaign, "title" | "slug">, offices: string[]): string {
  const content: SupporterEmailContent = { campaignTitle: campaign.title, campaignSlug: campaign.slug, offices };
  return JSON.stringify(content);
}

/**
 * A confirmation link for a signature: a fresh token, whose hash is kept for good (the token row)
 * while the token itself stays only in the queued e-mail until it is sent. Written with the
 * signature (a nested create) or in the transaction that claims the e-mail's turn.
 */
export function newConfirmation(content: string, now: Date) {
  const { token, tokenHash } = newToken();
  return {
    token: { tokenHash, expiresAt: tokenExpiry(now), createdAt: now },
    email: { kind: "confirmation" satisfies SupporterEmailKind, content, token, createdAt: now },
  };
}

export type EmailOutcome = "queued" | "skipped";

/**
 * Queues an e-mail to the supporter of an existing signature (signed again, asked for a new
 * link) unless the last one was too recent, or they unsubscribed or erased their data. The
 * pacing is claimed and the e-mail queued in one transaction, so two requests at once queue one
 * e-mail, and a claimed turn always has its e-mail.
 */
export async function emailSupporter(
  db: Db,
  signature: Pick<Signature, "id" | "lastEmailedAt" | "emailsSent">,
  kind: SupporterEmailKind,
  content: string,
  now = new Date(),
): Promise<EmailOutcome> {
  const { id, lastEmailedAt, emailsSent } = signature;
  if (lastEmailedAt && now.getTime() - lastEmailedAt.getTime() < quietTimeMs(emailsSent)) return "skipped";
  const queued = await db.$transaction(async (tx) => {
    const claimed = await tx.signature.updateMany({
      where: { id, lastEmailedAt, emailsSent, unsubscribedAt: null, erasedAt: null },
      data: { lastEmailedAt: now, emailsSent: emailsSent + 1 },
    });
    if (claimed.count === 0) return false;
    if (kind === "confirmation") {
      // A new link (the old ones keep working until they expire).
      const confirmation = newConfirmation(content, now);
      await tx.confirmationToken.create({ data: { signatureId: id, ...confirmation.token } });
      await tx.supporterEmail.create({ data: { signatureId: id, ...confirmation.email } });
    } else {
      await tx.supporterEmail.create({ data: { signatureId: id, kind, content, createdAt: now } });
    }
    return true;
  });
  if (!queued) return "skipped";
  workQueued();
  return "queued";
}
