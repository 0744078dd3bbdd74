// The supporter e-mails queue's plain SQL: its claim (the letters' claim builder, on another table)
// and the "sent" of the e-mails of a round.
import { dbProvider, type DbClient } from "~/db/client.server";
import { directSql, sqlRoad } from "~/db/direct-sql.server";
import { groupCommit } from "~/db/group-commit.server";
import { Prisma } from "~/generated/prisma/client";
import { claimDialect, dueCandidates } from "../queue/claim.sql.server";

/**
 * Claims due supporter e-mails (queued and due, or sending with an expired lease), oldest first.
 * Every worker round claims, even when nothing is due: on the direct road, as the letters' claim,
 * unless inside a caller's transaction.
 */
export async function claimSupporterEmails(
  db: DbClient,
  { workerId, limit, leaseMs, now = new Date() }: { workerId: string; limit: number; leaseMs: number; now?: Date },
): Promise<string[]> {
  const dialect = claimDialect(dbProvider(db));
  const claim = dialect.claim({
    table: "SupporterEmail",
    candidates: dueCandidates(dialect, { from: "SupporterEmail", limit, now }),
    now,
    workerId,
    leaseExpiresAt: new Date(now.getTime() + leaseMs),
    returning: ["id"],
  });
  return (await sqlRoad(db).all<{ id: string }>(claim)).map((r) => r.id);
}

/**
 * Records sent e-mails (their token dropped: only the hash stays), only while the lease is this
 * worker's; the e-mails sent while one such write is in flight go together in the next
 * (~/db/group-commit.server). Through Prisma its query compiler cost more than the statement (as
 * for a letter's "sent"). Undefined inside a transaction, where there is no direct road.
 */
export function recordSupporterEmailsSent(db: DbClient, workerId: string): ((id: string) => Promise<void>) | undefined {
  const direct = directSql(db);
  if (!direct) return undefined;
  return groupCommit(async (sent: string[]) => {
    const now = new Date();
    await direct.run(Prisma.sql`
      UPDATE "SupporterEmail"
         SET "status" = 'sent', "sentAt" = ${now}, "token" = NULL, "lastError" = NULL,
             "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "updatedAt" = ${now}
       WHERE "id" IN (${Prisma.join(sent)}) AND "leaseOwner" = ${workerId} AND "status" = 'sending'`);
    return sent.map(() => undefined);
  });
}
