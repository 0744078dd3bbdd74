// A queued supporter e-mail as it goes out: rendered when the worker sends it, from what was
// queued with it (SupporterEmail.content, written by ~/campaigns/supporter-mail.server).
import { renderAlreadySignedEmail, renderConfirmationEmail, type RenderedEmail } from "#emails/render.server";
import { appUrl } from "~/env.server";
import type { Signature } from "~/generated/prisma/client";
import { CONFIRM_TOKEN_DAYS } from "~/security/tokens.server";
import { unsubscribeUrl } from "./unsubscribe.server";

/** What an e-mail says besides the signature's own fields (SupporterEmail.content). */
export interface SupporterEmailContent {
  campaignTitle: string;
  campaignSlug: string;
  /** The offices the letters go to, as the supporter reads them ("Senator Maria Cantwell"). */
  offices: string[];
}

export function confirmUrl(token: string): string {
  return `${appUrl()}/confirm/${token}`;
}

/** The e-mail as it goes out, rendered when it is sent (the worker calls this). */
export async function renderSupporterEmail(email: {
  kind: string;
  content: string;
  token: string | null;
  signature: Pick<Signature, "id" | "firstName">;
}): Promise<RenderedEmail> {
  const content = JSON.parse(email.content) as SupporterEmailContent;
  const common = {
    firstName: email.signature.firstName,
    campaignTitle: content.campaignTitle,
    offices: content.offices,
    unsubscribeUrl: unsubscribeUrl(email.signature.id),
  };
  if (email.kind === "confirmation") {
    if (!email.token) throw new Error("a confirmation e-mail without its token");
    return renderConfirmationEmail({
      ...common,
      confirmUrl: confirmUrl(email.token),
      expiresInDays: CONFIRM_TOKEN_DAYS,
    });
  }
  if (email.kind === "already_signed") {
    return renderAlreadySignedEmail({ ...common, campaignUrl: `${appUrl()}/c/${content.campaignSlug}` });
  }
  throw new Error(`unknown supporter e-mail kind: ${email.kind}`);
}
