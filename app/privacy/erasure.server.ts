// Erasing a supporter's data on their request. The request names an e-mail address; a link
// sent to that address confirms it (so nobody erases someone else's signatures). Erasing
// blanks the personal data of every signature with the address, replaces the text of its
// letters, deletes its confirmation tokens, cancels letters not yet sent, and deletes the outbox
// files of its letters and of the e-mails to the address. The rows stay, with state, district,
// status and dates, so the campaigns' anonymous counts do not change.
import { render } from "@react-email/render";
import { createElement } from "react";
import { ErasureConfirmationEmail, erasureConfirmationSubject } from "#emails/erasure-confirmation";
import { supporterEmailSendId } from "~/delivery/supporter-email/queue.server";
import { hashToken, newToken } from "~/security/tokens.server";
import type { Db } from "~/db/client.server";
import { ERASED_REASON } from "~/delivery/message.server";
import { deleteOutboxMessages } from "~/delivery/outbox.server";
import { appUrl, env } from "~/env.server";
import { mailTransport } from "~/services.server";
import { ERASURE_LINK_HOURS } from "./erasure-schema";
import { unsubscribeHeaders, unsubscribeUrl } from "~/delivery/supporter-email/unsubscribe.server";

/** At most this many erasure e-mails per address per hour, so the form cannot flood an inbox. */
const MAX_REQUESTS_PER_HOUR = 3;

export const ERASED_LETTER_TEXT = "[This letter was erased at its writer's request.]";

export function erasureUrl(token: string): string {
  return `${appUrl()}/privacy/erase/${token}`;
}

/** The id the confirmation e-mail of a request is sent under: its outbox file can be found again. */
function erasureEmailSendId(requestId: string): string {
  return `erasure-${requestId}`;
}

/**
 * Records the request and e-mails the confirmation link, if the address has signatures. The
 * caller answers the same whatever happens here: the form must not tell who has signed.
 */
export async function requestErasure(db: Db, email: string, now = new Date()): Promise<"sent" | "none" | "throttled"> {
  const signatures = await db.signature.findMany({
    where: { email, erasedAt: null },
    select: { id: true, campaign: { select: { title: true } } },
    orderBy: { createdAt: "asc" },
  });
  if (signatures.length === 0) return "none";
  const recent = await db.erasureRequest.count({
    where: { email, createdAt: { gt: new Date(now.getTime() - 60 * 60 * 1000) } },
  });
  if (recent >= MAX_REQUESTS_PER_HOUR) return "throttled";
  const { token, tokenHash } = newToken();
  const request = await db.erasureRequest.create({
    data: { email, tokenHash, createdAt: now, expiresAt: new Date(now.getTime() + ERASURE_LINK_HOURS * 3600 * 1000) },
  });
  const element = createElement(ErasureConfirmationEmail, {
    confirmUrl: erasureUrl(token),
    campaigns: [...new Set(signatures.map((s) => s.campaign.title))],
    hours: ERASURE_LINK_HOURS,
    unsubscribeUrl: unsubscribeUrl(signatures[0].id),
  });
  await mailTransport().send(erasureEmailSendId(request.id), {
    from: env().MAIL_FROM,
    to: email,
    subject: erasureConfirmationSubject(),
    html: await render(element),
    text: await render(element, { plainText: true }),
    ...unsubscribeHeaders(signatures[0].id),
  });
  return "sent";
}

export type ErasureLinkState = "valid" | "used" | "expired" | "unknown";

export async function erasureLinkState(db: Db, token: string, now = new Date()): Promise<ErasureLinkState> {
  const request = await db.erasureRequest.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!request) return "unknown";
  if (request.usedAt) return "used";
  if (request.expiresAt.getTime() <= now.getTime()) return "expired";
  return "valid";
}

/**
 * Spends the link and erases, in one transaction, then deletes the outbox files of the
 * supporter's letters and e-mails. Resolves with the link's state before.
 */
export async function confirmErasure(
  db: Db,
  token: string,
  now = new Date(),
): Promise<{ state: ErasureLinkState; erased: number }> {
  const tokenHash = hashToken(token);
  const { outboxFiles, ...result } = await db.$transaction(async (tx) => {
    // The ids the supporter's letters and e-mails were sent under, which name their outbox files.
    const outboxFiles: string[] = [];
    const request = await tx.erasureRequest.findUnique({ where: { tokenHash } });
    if (!request) return { state: "unknown" as const, erased: 0, outboxFiles };
    if (request.usedAt) return { state: "used" as const, erased: 0, outboxFiles };
    if (request.expiresAt.getTime() <= now.getTime()) return { state: "expired" as const, erased: 0, outboxFiles };
    const email = request.email;
    // The deletion confirmations hold the address (this request's among them).
    const requests = await tx.erasureRequest.findMany({ where: { email }, select: { id: true } });
    outboxFiles.push(...requests.map((r) => erasureEmailSendId(r.id)));
    const signatures = await tx.signature.findMany({ where: { email, erasedAt: null }, select: { id: true } });
    const ids = signatures.map((s) => s.id);
    for (const id of ids) {
      await tx.signature.update({
        where: { id },
        data: {
          firstName: "",
          lastName: "",
          // Unique per campaign and recognisably not an address.
          email: `erased-${id}@invalid`,
          street: "",
          city: "",
          zip: "",
          message: null,
          ipHash: null,
          consentToContact: false,
          moderationReason: null,
          unsubscribedAt: now,
          erasedAt: now,
        },
      });
    }
    if (ids.length > 0) {
      const letters = await tx.letter.findMany({ where: { signatureId: { in: ids } }, select: { id: true } });
      const letterIds = letters.map((l) => l.id);
      await tx.letter.updateMany({
        where: { id: { in: letterIds } },
        // The subject too: campaign subjects name the writer's city.
        data: {
          subject: ERASED_LETTER_TEXT,
          salutation: "",
          bodyText: ERASED_LETTER_TEXT,
          bodyHtml: `<p>${ERASED_LETTER_TEXT}</p>`,
        },
      });
      // Letters not sent yet never go. One being sent right now finishes if it left already; if its
      // send fails or its worker dies, the worker cancels it when it comes back (it checks erasedAt).
      await tx.delivery.updateMany({
        where: { letterId: { in: letterIds }, status: { in: ["queued", "held", "failed"] } },
        data: {
          status: "cancelled",
          lastError: ERASED_REASON,
          leaseOwner: null,
        },
      });
      const deliveries = await tx.delivery.findMany({ where: { letterId: { in: letterIds } }, select: { id: true } });
      outboxFiles.push(...deliveries.map((d) => d.id));
      await tx.confirmationToken.deleteMany({ where: { signatureId: { in: ids } } });
      const emails = await tx.supporterEmail.findMany({ where: { signatureId: { in: ids } }, select: { id: true } });
      outboxFiles.push(...emails.map((e) => supporterEmailSendId(e.id)));
      // E-mails to the supporter still queued go with the rest (one being sent right now is
      // cancelled by the worker, which checks erasedAt; its settle then finds no lease to end).
      await tx.supporterEmail.deleteMany({ where: { signatureId: { in: ids }, status: { not: "sending" } } });
      await tx.supporterEmail.updateMany({ where: { signatureId: { in: ids } }, data: { token: null } });
    }
    await tx.erasureRequest.update({ where: { id: request.id }, data: { usedAt: now } });
    // The address itself is personal data too: keep only that a request was made and used.
    await tx.erasureRequest.updateMany({ where: { email }, data: { email: `erased-${request.id}@invalid` } });
    return { state: "valid" as const, erased: ids.length, outboxFiles };
  });
  // After the commit: files are not part of the transaction, and a rolled-back erasure keeps them.
  // The files of all of them, whatever the transport is now (the folder may predate SMTP_URL). A
  // letter or e-mail being written at this very moment can still land afterwards.
  if (outboxFiles.length > 0) {
    await deleteOutboxMessages(env().OUTBOX_DIR, outboxFiles).catch((error: Error) => {
      // The erasure itself is done and its link spent: say so to whoever runs the server.
      console.error(`[privacy] erasure left outbox files behind: ${error.message}`);
    });
  }
  return result;
}
