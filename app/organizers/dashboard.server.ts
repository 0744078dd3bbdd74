// What organizers see first: per campaign, signatures and where their letters are.
import type { Db } from "~/db.server";
import { queueCounts } from "~/delivery/queue.server";
import { officeHolder } from "~/targets/office-label";

export async function campaignOverview(db: Db) {
  const campaigns = await db.campaign.findMany({ orderBy: { createdAt: "desc" } });
  return Promise.all(
    campaigns.map(async (c) => ({
      slug: c.slug,
      title: c.title,
      status: c.status,
      mode: c.mode,
      testInbox: c.testInbox,
      goal: c.goal,
      confirmed: c.confirmedCount,
      pending: await db.signature.count({ where: { campaignId: c.id, status: "pending" } }),
      deliveries: await queueCounts(db, c.id),
    })),
  );
}

/** Letters that need an organizer's eye: failed (with the reason) or held (with why). */
export async function deliveriesNeedingAttention(db: Db, limit = 50) {
  const rows = await db.delivery.findMany({
    where: { status: { in: ["failed", "held"] } },
    orderBy: { updatedAt: "desc" },
    take: limit,
    select: {
      id: true,
      status: true,
      attempts: true,
      lastError: true,
      updatedAt: true,
      letter: {
        select: {
          subject: true,
          office: { select: { title: true, fullName: true, chamber: true } },
          signature: { select: { campaign: { select: { title: true } } } },
        },
      },
    },
  });
  return rows.map((d) => ({
    id: d.id,
    status: d.status,
    attempts: d.attempts,
    reason: d.lastError,
    updatedAt: d.updatedAt.toISOString(),
    office: officeHolder(d.letter.office),
    campaign: d.letter.signature.campaign.title,
  }));
}
