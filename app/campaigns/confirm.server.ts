// Double opt-in: the one link in the confirmation e-mail confirms the signature and
// queues its letters. Before that, nothing goes to any office.
import type { Db } from "~/db/client.server";
import { createDeliveryStore } from "~/delivery/queue/store.server";
import { workQueued } from "~/delivery/wake.server";
import { hashToken } from "~/security/tokens.server";
import { contentOf, emailSupporter } from "./supporter-mail.server";
import { officeHolder } from "~/offices/office-label";

/**
 * User agents that open links in e-mails without a person: search and chat-app previewers
 * ("…bot"), and the link scanners of mail security gateways. Deliberately narrow: a person's
 * browser, headless or not, must confirm with one click, as the e-mail promises.
 */
const LINK_SCANNER =
  /bot\b|crawler|spider|preview|scanner|safelinks|Microsoft Office|Proofpoint|Barracuda|Mimecast|facebookexternalhit/i;

export function isLinkScanner(userAgent: string | null): boolean {
  return userAgent !== null && LINK_SCANNER.test(userAgent);
}

export type ConfirmResult =
  | { status: "confirmed"; campaignSlug: string; campaignTitle: string; firstName: string; letters: number }
  | { status: "already-confirmed"; campaignSlug: string; campaignTitle: string }
  | { status: "expired"; campaignSlug: string; campaignTitle: string }
  | { status: "unknown" };

/**
 * Confirms the signature, or (`dryRun`) only says what confirming would do: "confirmed" then
 * means "ready to confirm" and nothing is written. Used for mail scanners that open links.
 */
export async function confirmSignature(
  db: Db,
  token: string,
  now = new Date(),
  { dryRun = false }: { dryRun?: boolean } = {},
): Promise<ConfirmResult> {
  const row = await db.confirmationToken.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { signature: { include: { campaign: true } } },
  });
  if (!row) return { status: "unknown" };
  const { signature } = row;
  const { campaign } = signature;
  const where = { campaignSlug: campaign.slug, campaignTitle: campaign.title };

  if (signature.status === "confirmed" || row.usedAt) return { status: "already-confirmed", ...where };
  if (row.expiresAt.getTime() <= now.getTime()) return { status: "expired", ...where };
  if (dryRun) return { status: "confirmed", ...where, firstName: signature.firstName, letters: 0 };

  // One transaction: the token is spent, the signature confirmed (a trigger moves the counts) and the
  // letters queued together, or none of it (a second click finds the token used).
  const letters = await db.$transaction(async (tx) => {
    const spent = await tx.confirmationToken.updateMany({
      where: { id: row.id, usedAt: null },
      data: { usedAt: now },
    });
    if (spent.count === 0) return null;
    const confirmed = await tx.signature.updateMany({
      where: { id: signature.id, status: "pending" },
      data: { status: "confirmed", confirmedAt: now },
    });
    if (confirmed.count === 0) return null;
    const letterIds = (await tx.letter.findMany({ where: { signatureId: signature.id }, select: { id: true } })).map(
      (l) => l.id,
    );
    await createDeliveryStore(tx).enqueueForLetters(letterIds, { runAt: now });
    return letterIds.length;
  });
  if (letters === null) return { status: "already-confirmed", ...where };
  // The letters go at once, not at the worker's next poll.
  workQueued();
  return { status: "confirmed", ...where, firstName: signature.firstName, letters };
}

/**
 * A new link for an expired one. The answer never says whether the token existed, so
 * the form cannot be used to probe for signatures.
 */
export async function resendConfirmation(db: Db, oldToken: string, now = new Date()): Promise<void> {
  const row = await db.confirmationToken.findUnique({
    where: { tokenHash: hashToken(oldToken) },
    include: {
      signature: { include: { campaign: true, letters: { include: { office: true } } } },
    },
  });
  if (!row || row.signature.status !== "pending") return;
  const { signature } = row;
  const offices = signature.letters.map((l) => officeHolder(l.office));
  await emailSupporter(db, signature, "confirmation", contentOf(signature.campaign, offices), now);
}
