// The dashboard's counters are kept by database triggers (migration 20261128100000_workspace).
// These tests move real rows through their lives and compare the counters with a recount.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDeliveryStore } from "~/delivery/queue/store.server";
import { seedCampaign, seedLetter, seedOffice } from "../../test/seed";
import type { Db } from "~/db/client.server";
import { createTestDb, type TestDb } from "../../test/db";

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.cleanup();
});

async function counters(db: Db, campaignId: string) {
  const campaign = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
  const days = await db.campaignDay.findMany({ where: { campaignId }, orderBy: { day: "asc" } });
  const areas = await db.campaignArea.findMany({ where: { campaignId, confirmed: { not: 0 } } });
  const offices = await db.campaignOfficeDelivery.findMany({ where: { campaignId, count: { not: 0 } } });
  return {
    confirmed: campaign.confirmedCount,
    pending: campaign.pendingCount,
    days: days.map((d) => ({ day: d.day, signed: d.signed, confirmed: d.confirmed })),
    areas: areas.map((a) => `${a.state}-${a.district}:${a.confirmed}`).sort(),
    deliveries: Object.fromEntries(offices.map((o) => [`${o.officeId}/${o.status}`, o.count])),
  };
}

describe("dashboard counters", () => {
  it("follow signatures from pending to confirmed, through moderation, and out again", async () => {
    const campaign = await seedCampaign(t.db);
    const office = await seedOffice(t.db);
    const pending = await seedLetter(t.db, { campaign, office, confirmed: false });
    await seedLetter(t.db, { campaign, office });
    const today = new Date().toISOString().slice(0, 10);

    expect(await counters(t.db, campaign.id)).toMatchObject({
      confirmed: 1,
      pending: 1,
      days: [{ day: today, signed: 2, confirmed: 1 }],
      areas: ["WA--1:1"],
    });

    // The supporter confirms: pending moves to confirmed.
    await t.db.signature.update({
      where: { id: pending.signatureId },
      data: { status: "confirmed", confirmedAt: new Date(), district: 7 },
    });
    expect(await counters(t.db, campaign.id)).toMatchObject({
      confirmed: 2,
      pending: 0,
      days: [{ day: today, signed: 2, confirmed: 2 }],
      areas: ["WA--1:1", "WA-7:1"],
    });

    // Rejected in moderation: no longer counted; approved again: counted again.
    await t.db.signature.update({ where: { id: pending.signatureId }, data: { moderation: "rejected" } });
    expect(await counters(t.db, campaign.id)).toMatchObject({ confirmed: 1, areas: ["WA--1:1"] });
    await t.db.signature.update({ where: { id: pending.signatureId }, data: { moderation: "approved" } });
    expect(await counters(t.db, campaign.id)).toMatchObject({ confirmed: 2, areas: ["WA--1:1", "WA-7:1"] });

    // A deleted signature takes its counts with it.
    await t.db.signature.delete({ where: { id: pending.signatureId } });
    expect(await counters(t.db, campaign.id)).toMatchObject({
      confirmed: 1,
      pending: 0,
      days: [{ day: today, signed: 1, confirmed: 1 }],
      areas: ["WA--1:1"],
    });
  });

  it("follow deliveries through the queue's statuses, per office", async () => {
    const campaign = await seedCampaign(t.db);
    const senate = await seedOffice(t.db);
    const house = await seedOffice(t.db, { chamber: "house", title: "Representative", lastName: "Jayapal" });
    const letters = [
      await seedLetter(t.db, { campaign, office: senate }),
      await seedLetter(t.db, { campaign, office: senate }),
      await seedLetter(t.db, { campaign, office: house }),
    ];
    const store = createDeliveryStore(t.db);
    expect(await store.enqueueForLetters(letters.map((l) => l.id))).toBe(3);
    expect((await counters(t.db, campaign.id)).deliveries).toEqual({
      [`${senate.id}/queued`]: 2,
      [`${house.id}/queued`]: 1,
    });

    const claimed = await store.claim({ workerId: "w1", limit: 3, leaseMs: 60_000 });
    expect(claimed).toHaveLength(3);
    const bySenate = claimed.filter((c) => letters.findIndex((l) => l.id === c.letterId) < 2);
    await store.markSent(bySenate[0].id, "w1", { messageId: "<a@x>", response: "250 ok", recipient: "s@x" });
    await store.markFailed(bySenate[1].id, "w1", "550 no such mailbox");
    expect((await counters(t.db, campaign.id)).deliveries).toEqual({
      [`${senate.id}/sent`]: 1,
      [`${senate.id}/failed`]: 1,
      [`${house.id}/sending`]: 1,
    });

    // Every counter row agrees with a recount of the queue.
    const recount = await t.db.delivery.groupBy({ by: ["officeId", "status"], _count: { _all: true } });
    const kept = (await counters(t.db, campaign.id)).deliveries;
    expect(Object.fromEntries(recount.map((r) => [`${r.officeId}/${r.status}`, r._count._all]))).toEqual(kept);
  });
});
