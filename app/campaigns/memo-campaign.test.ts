import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CWC_TOPICS } from "~/delivery/channels/cwc/limits";
import { parseCwcTopics } from "~/delivery/channels/outgoing-letter";
import { createTestDb, type TestDb } from "../../test/db";
import { MEMO_CAMPAIGN_SLUG, MEMO_CWC_TOPICS, seedMemoCampaign } from "./campaigns.server";

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.cleanup();
});

describe("the memo's seeded campaign", () => {
  it("writes to CWC on defence and foreign policy, in CWC's own words for them", async () => {
    const campaign = await seedMemoCampaign(t.db);
    expect(JSON.parse(campaign.cwcTopics)).toEqual(["Armed Forces and National Security", "International Affairs"]);
    for (const topic of MEMO_CWC_TOPICS) expect(CWC_TOPICS).toContain(topic);
    // What the worker reads is what was seeded: no topic is dropped as unknown.
    expect(parseCwcTopics(campaign.cwcTopics)).toEqual([...MEMO_CWC_TOPICS]);
    expect(campaign).toMatchObject({ cwcCampaignId: null, cwcBills: "[]", channelsOff: "[]" });
  });

  it("keeps the topics its organizers chose when seeded again", async () => {
    const seeded = await seedMemoCampaign(t.db);
    await t.db.campaign.update({ where: { id: seeded.id }, data: { cwcTopics: '["International Affairs"]' } });
    await seedMemoCampaign(t.db, { testInbox: "team@example.org", explicit: true });
    expect(await t.db.campaign.findUniqueOrThrow({ where: { slug: MEMO_CAMPAIGN_SLUG } })).toMatchObject({
      cwcTopics: '["International Affairs"]',
      testInbox: "team@example.org",
    });
  });
});
