// Unsubscribing from supporter e-mail, by a link that needs no login: the link names a
// signature and carries an HMAC of it under the app's secret, so it cannot be forged for
// someone else. Unsubscribing stops e-mail to the supporter (at that address, for every
// campaign), never their letters to officials.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Db } from "~/db/client.server";
import { appSecret, appUrl } from "~/env.server";

function mac(signatureId: string): string {
  return createHmac("sha256", appSecret()).update(`unsubscribe:${signatureId}`).digest("base64url");
}

export function unsubscribeToken(signatureId: string): string {
  // "~" joins them: it is safe in a URL path, and neither an id nor base64url uses it.
  return `${signatureId}~${mac(signatureId)}`;
}

export function unsubscribeUrl(signatureId: string): string {
  return `${appUrl()}/unsubscribe/${unsubscribeToken(signatureId)}`;
}

/** The signature a token names, or null for a forged or mangled token. */
export function verifyUnsubscribeToken(token: string): string | null {
  const sep = token.indexOf("~");
  if (sep <= 0) return null;
  const signatureId = token.slice(0, sep);
  const given = Buffer.from(token.slice(sep + 1));
  const expected = Buffer.from(mac(signatureId));
  return given.length === expected.length && timingSafeEqual(given, expected) ? signatureId : null;
}

/** Mail headers for a supporter e-mail: List-Unsubscribe, with one-click (RFC 8058). */
export function unsubscribeHeaders(signatureId: string) {
  return {
    list: { unsubscribe: { url: unsubscribeUrl(signatureId), comment: "Unsubscribe" } },
    headers: { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}

export type UnsubscribeOutcome = "unsubscribed" | "invalid";

/** Marks every signature at the token's address as unsubscribed, and withdraws consent to contact. */
export async function unsubscribe(db: Db, token: string, now = new Date()): Promise<UnsubscribeOutcome> {
  const signatureId = verifyUnsubscribeToken(token);
  if (!signatureId) return "invalid";
  const signature = await db.signature.findUnique({
    where: { id: signatureId },
    select: { email: true, erasedAt: true },
  });
  // An erased signature has no address left to write to: nothing to do, and nothing to reveal.
  if (!signature || signature.erasedAt) return "unsubscribed";
  await db.signature.updateMany({
    where: { email: signature.email, unsubscribedAt: null },
    data: { unsubscribedAt: now, consentToContact: false },
  });
  await db.signature.updateMany({ where: { email: signature.email }, data: { consentToContact: false } });
  return "unsubscribed";
}
