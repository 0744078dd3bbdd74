// E-mails to supporters (not letters to offices): the confirmation link, and the note that
// tells someone who signed again what state their signature is in. Sent straight away, not
// queued: the supporter is waiting for it, and a lost one is recovered by signing again.
import { randomUUID } from "node:crypto";
import { renderAlreadySignedEmail, renderConfirmationEmail } from "#emails/render.server";
import type { Db } from "~/db.server";
import type { Campaign, Signature } from "~/generated/prisma/client";
import { appUrl, env } from "~/env.server";
import { unsubscribeHeaders, unsubscribeUrl } from "~/privacy/unsubscribe.server";
import { describeError } from "~/security/errors.server";
import { mailTransport } from "~/services.server";
import { CONFIRM_TOKEN_DAYS, newToken, tokenExpiry } from "./tokens.server";

/** After the n-th e-mail, the next waits a minute, then two, four… at most a day. */
export function quietTimeMs(emailsSent: number): number {
  return Math.min(24 * 60 * 60 * 1000, 60_000 * 2 ** Math.max(0, emailsSent - 1));
}

export type EmailOutcome = "sent" | "skipped" | "failed";

/**
 * E-mails a supporter unless the last e-mail was too recent. The send is claimed in the
 * database first (so two requests at once send one e-mail) and the claim is undone if the
 * mail server refuses, so a supporter whose e-mail failed can ask again straight away.
 */
export async function emailSupporter(
  db: Db,
  signature: Pick<Signature, "id" | "lastEmailedAt" | "emailsSent">,
  send: () => Promise<void>,
  now = new Date(),
): Promise<EmailOutcome> {
  const { id, lastEmailedAt, emailsSent } = signature;
  if (lastEmailedAt && now.getTime() - lastEmailedAt.getTime() < quietTimeMs(emailsSent)) return "skipped";
  // A supporter who unsubscribed (or whose data was erased) gets no more e-mail: the claim
  // matches only a signature that is neither.
  const claimed = await db.signature.updateMany({
    where: { id, lastEmailedAt, emailsSent, unsubscribedAt: null, erasedAt: null },
    data: { lastEmailedAt: now, emailsSent: emailsSent + 1 },
  });
  if (claimed.count === 0) return "skipped";
  try {
    await send();
    return "sent";
  } catch (error) {
    // A mail server's refusal often quotes the recipient: the log keeps the reason, not the address.
    console.error(`[mail] could not e-mail the supporter of signature ${id}: ${describeError(error)}`);
    await db.signature.updateMany({
      where: { id, lastEmailedAt: now },
      data: { lastEmailedAt, emailsSent },
    });
    return "failed";
  }
}

export function confirmUrl(token: string): string {
  return `${appUrl()}/confirm/${token}`;
}

export async function sendConfirmationEmail(input: {
  campaign: Pick<Campaign, "title" | "slug">;
  signatureId: string;
  firstName: string;
  email: string;
  token: string;
  offices: string[];
}): Promise<void> {
  const mail = await renderConfirmationEmail({
    firstName: input.firstName,
    campaignTitle: input.campaign.title,
    confirmUrl: confirmUrl(input.token),
    offices: input.offices,
    expiresInDays: CONFIRM_TOKEN_DAYS,
    unsubscribeUrl: unsubscribeUrl(input.signatureId),
  });
  await mailTransport().send(`confirm-${randomUUID()}`, {
    from: env().MAIL_FROM,
    to: input.email,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    ...unsubscribeHeaders(input.signatureId),
  });
}

/** A new link for a signature still waiting for confirmation (the old links keep working until they expire). */
export async function sendNewConfirmationLink(
  db: Db,
  campaign: Pick<Campaign, "title" | "slug">,
  signature: Pick<Signature, "id" | "firstName" | "email">,
  offices: string[],
  now: Date,
): Promise<void> {
  const { token, tokenHash } = newToken();
  await db.confirmationToken.create({
    data: { signatureId: signature.id, tokenHash, expiresAt: tokenExpiry(now), createdAt: now },
  });
  await sendConfirmationEmail({
    campaign,
    signatureId: signature.id,
    firstName: signature.firstName,
    email: signature.email,
    token,
    offices,
  });
}

export async function sendAlreadySignedEmail(input: {
  campaign: Pick<Campaign, "title" | "slug">;
  signatureId: string;
  firstName: string;
  email: string;
  offices: string[];
}): Promise<void> {
  const mail = await renderAlreadySignedEmail({
    firstName: input.firstName,
    campaignTitle: input.campaign.title,
    campaignUrl: `${appUrl()}/c/${input.campaign.slug}`,
    offices: input.offices,
    unsubscribeUrl: unsubscribeUrl(input.signatureId),
  });
  await mailTransport().send(`already-signed-${randomUUID()}`, {
    from: env().MAIL_FROM,
    to: input.email,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    ...unsubscribeHeaders(input.signatureId),
  });
}
