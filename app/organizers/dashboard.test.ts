// The dashboard's figures come from the trigger-kept counters; these check what it shows for
// real rows, and the helpers that shape the chart.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCampaign, seedLetter, seedOffice } from "../../test/seed";
import type { Db } from "~/db/client.server";
import { createTestDb, type TestDb } from "../../test/db";
import { niceMax } from "./charts";
import { campaignDashboard, campaignOverview, fillDays } from "./dashboard.server";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.cleanup();
});

describe("a campaign's dashboard", () => {
  it("shows signatures, letters by state, per day, per state and district, and per office", async () => {
    const campaign = await seedCampaign(t.db);
    const senate = await seedOffice(t.db);
    const house = await seedOffice(t.db, {
      chamber: "house",
      title: "Representative",
      lastName: "Jayapal",
      fullName: "Pramila Jayapal",
    });
    const a = await seedLetter(t.db, { campaign, office: senate });
    const b = await seedLetter(t.db, { campaign, office: house });
    await seedLetter(t.db, { campaign, office: senate, confirmed: false });
    for (const letter of [a, b]) {
      await t.db.delivery.create({ data: { letterId: letter.id, campaignId: campaign.id, officeId: letter.officeId } });
    }
    await t.db.delivery.updateMany({ where: { letterId: a.id }, data: { status: "sent" } });

    const today = new Date();
    const dashboard = (await campaignDashboard(t.db, campaign.slug, today))!;
    expect(dashboard.campaign).toMatchObject({ confirmed: 2, pending: 1 });
    expect(dashboard.deliveries).toMatchObject({ queued: 1, sent: 1, failed: 0, held: 0 });
    expect(dashboard.days).toEqual([{ day: today.toISOString().slice(0, 10), signed: 3, confirmed: 2 }]);
    expect(dashboard.states).toEqual([
      { state: "WA", name: "Washington", confirmed: 2, districts: [{ district: -1, confirmed: 2 }] },
    ]);
    expect(dashboard.offices.map((o) => [o.name, o.counts.sent, o.counts.queued])).toEqual([
      ["Representative Pramila Jayapal", 0, 1],
      ["Senator Maria Cantwell", 1, 0],
    ]);

    const overview = await campaignOverview(t.db);
    expect(overview.find((c) => c.slug === campaign.slug)).toMatchObject({
      confirmed: 2,
      pending: 1,
      deliveries: { queued: 1, sent: 1 },
    });
  });

  it("reads only the counters, never the signatures or deliveries themselves", async () => {
    const campaign = await seedCampaign(t.db);
    const office = await seedOffice(t.db);
    await seedLetter(t.db, { campaign, office });
    const read: string[] = [];
    const watched = t.db.$extends({
      query: {
        $allModels: {
          async $allOperations({ model, args, query }) {
            read.push(model);
            return query(args);
          },
        },
      },
    }) as unknown as Db;
    await campaignOverview(watched);
    await campaignDashboard(watched, campaign.slug);
    expect(new Set(read)).toEqual(new Set(["Campaign", "CampaignOfficeDelivery", "CampaignDay", "CampaignArea"]));
  });

  it("is null for an unknown campaign", async () => {
    expect(await campaignDashboard(t.db, "no-such-campaign")).toBeNull();
  });
});

describe("chart helpers", () => {
  it("fills the days without signatures up to today", () => {
    expect(
      fillDays(
        [
          { day: "2026-02-27", signed: 2, confirmed: 1 },
          { day: "2026-03-02", signed: 1, confirmed: 1 },
        ],
        new Date("2026-03-03T10:00:00Z"),
      ).map((d) => `${d.day}:${d.signed}`),
    ).toEqual(["2026-02-27:2", "2026-02-28:0", "2026-03-01:0", "2026-03-02:1", "2026-03-03:0"]);
  });

  it.each([
    [0, 5],
    [7, 10],
    [11, 20],
    [42, 50],
    [100, 100],
    [1234, 2000],
  ])("rounds an axis maximum of %i up to %i", (value, expected) => {
    expect(niceMax(value)).toBe(expected);
  });
});
