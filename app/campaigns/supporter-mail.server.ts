// E-mails to supporters (not letters to offices): the confirmation link, and the note that
// tells someone who signed again what state their signature is in. Sent straight away, not
// queued: the supporter is waiting for it, and a lost one is recovered by signing again.
import { randomUUID } from "node:crypto";
import { renderAlreadySignedEmail, renderConfirmationEmail } from "#emails/render.server";
import type { Campaign } from "~/generated/prisma/client";
import { appUrl, env } from "~/env.server";
import { mailTransport } from "~/services.server";
import { CONFIRM_TOKEN_DAYS } from "./tokens.server";

export function confirmUrl(token: string): string {
  return `${appUrl()}/confirm/${token}`;
}

export async function sendConfirmationEmail(input: {
  campaign: Pick<Campaign, "title" | "slug">;
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
  });
  await mailTransport().send(`confirm-${randomUUID()}`, {
    from: env().MAIL_FROM,
    to: input.email,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
  });
}

export async function sendAlreadySignedEmail(input: {
  campaign: Pick<Campaign, "title" | "slug">;
  firstName: string;
  email: string;
  offices: string[];
}): Promise<void> {
  const mail = await renderAlreadySignedEmail({
    firstName: input.firstName,
    campaignTitle: input.campaign.title,
    campaignUrl: `${appUrl()}/c/${input.campaign.slug}`,
    offices: input.offices,
  });
  await mailTransport().send(`already-signed-${randomUUID()}`, {
    from: env().MAIL_FROM,
    to: input.email,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
  });
}
