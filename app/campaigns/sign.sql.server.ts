// A new signature's one write, on the direct road (~/db/direct-sql.server): the signature, its
// letters, its confirmation token's hash and its queued confirmation e-mail, all or nothing.
// Prisma's nested create of the same rows cost more than composing the four letters. Every column
// is given, dates included, so the rows read exactly as rows Prisma writes.
import type { Db } from "~/db/client.server";
import { directSqlOf } from "~/db/direct-sql.server";
import { newId } from "~/db/ids";
import {
  Prisma,
  type ConfirmationToken,
  type Letter,
  type Signature,
  type SupporterEmail,
} from "~/generated/prisma/client";

export interface PendingSignature {
  /** The signature, pending; it is signed (and its confirmation e-mailed) at `createdAt`. */
  signature: Pick<
    Signature,
    | "id"
    | "campaignId"
    | "prefix"
    | "firstName"
    | "lastName"
    | "email"
    | "phone"
    | "street"
    | "city"
    | "state"
    | "zip"
    | "district"
    | "points"
    | "message"
    | "consentToContact"
    | "moderation"
    | "moderationReason"
    | "ipHash"
    | "createdAt"
  >;
  letters: Pick<Letter, "officeId" | "subject" | "salutation" | "bodyText" | "bodyHtml">[];
  token: Pick<ConfirmationToken, "tokenHash" | "expiresAt" | "createdAt">;
  email: Pick<SupporterEmail, "kind" | "content" | "token" | "createdAt">;
}

/**
 * Writes a pending signature and what comes with it in one go (one transaction on SQLite, one
 * statement on PostgreSQL). A unique violation means this e-mail has signed the campaign already.
 */
export async function insertPendingSignature(
  db: Db,
  { signature: s, letters, token, email }: PendingSignature,
): Promise<void> {
  const now = s.createdAt;
  const signature = Prisma.sql`
    INSERT INTO "Signature" ("id", "campaignId", "prefix", "firstName", "lastName", "email", "phone", "street",
      "city", "state", "zip", "district", "points", "message", "consentToContact", "status", "moderation",
      "moderationReason", "ipHash", "createdAt", "lastEmailedAt", "emailsSent")
    VALUES (${s.id}, ${s.campaignId}, ${s.prefix}, ${s.firstName}, ${s.lastName}, ${s.email}, ${s.phone},
      ${s.street}, ${s.city}, ${s.state}, ${s.zip}, ${s.district},
      ${s.points}, ${s.message}, ${s.consentToContact}, 'pending', ${s.moderation},
      ${s.moderationReason}, ${s.ipHash}, ${now},
      ${now}, 1)`; // the confirmation is this address's first e-mail (see emailSupporter's pacing)
  const letterRows = Prisma.sql`
    INSERT INTO "Letter" ("id", "signatureId", "officeId", "subject", "salutation", "bodyText", "bodyHtml", "createdAt")
    VALUES ${Prisma.join(
      letters.map(
        (letter) =>
          Prisma.sql`(${newId()}, ${s.id}, ${letter.officeId}, ${letter.subject}, ${letter.salutation},
                      ${letter.bodyText}, ${letter.bodyHtml}, ${now})`,
      ),
    )}`;
  const tokenRow = Prisma.sql`
    INSERT INTO "ConfirmationToken" ("id", "signatureId", "tokenHash", "expiresAt", "createdAt")
    VALUES (${newId()}, ${s.id}, ${token.tokenHash}, ${token.expiresAt},
      ${token.createdAt})`;
  const emailRow = Prisma.sql`
    INSERT INTO "SupporterEmail" ("id", "signatureId", "kind", "content", "token", "status", "attempts", "runAt",
      "createdAt", "updatedAt")
    VALUES (${newId()}, ${s.id}, ${email.kind}, ${email.content},
      ${email.token}, 'queued', 0, ${now}, ${email.createdAt}, ${now})`;
  await directSqlOf(db).writeAll([signature, letterRows, tokenRow, emailRow]);
}
