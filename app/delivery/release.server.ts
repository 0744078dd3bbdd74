// Held letters go back to the queue when what held them is mended: an office got an e-mail
// address or was reactivated, a campaign got a test inbox. The worker then decides afresh:
// a letter whose reason still stands is simply held again, with the reason.
import type { DbClient } from "~/db/client.server";
import { createDeliveryStore } from "./queue/store.server";

export async function releaseHeldLetters(
  db: DbClient,
  where: { officeId?: string; campaignId?: string },
): Promise<number> {
  const held = await db.delivery.findMany({
    where: {
      status: "held",
      letter: {
        ...(where.officeId ? { officeId: where.officeId } : {}),
        ...(where.campaignId ? { signature: { campaignId: where.campaignId } } : {}),
      },
    },
    select: { id: true },
  });
  return createDeliveryStore(db).requeue(held.map((d) => d.id));
}

/** Re-drives failed (or held) letters, e.g. after a mail server outage outlasted the retries. */
export async function retryDeliveries(db: DbClient, status: "failed" | "held"): Promise<number> {
  const rows = await db.delivery.findMany({ where: { status }, select: { id: true } });
  return createDeliveryStore(db).requeue(rows.map((d) => d.id));
}
