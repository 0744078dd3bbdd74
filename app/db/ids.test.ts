// One id format for new rows, whichever road wrote them: Prisma's default and the direct road's
// inserts (here a batch's attempt rows) both make UUID version 7 ids, which sort by creation time.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DATABASES, type TestDatabase } from "../../test/databases";
import { seedCampaign, seedLetter, seedOffice } from "../../test/seed";
import { createDeliveryStore } from "~/delivery/queue/store.server";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe.each(DATABASES)("new rows' ids on $name", ({ open, skip }) => {
  if (skip) return void it.skip("PG_TESTS=off");
  let t: TestDatabase;
  beforeEach(async () => {
    t = await open();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it("are UUIDv7 through Prisma and on the direct road alike, in the order they were made", async () => {
    const campaign = await seedCampaign(t.db);
    const office = await seedOffice(t.db);
    const letter = await seedLetter(t.db, { campaign, office });
    const store = createDeliveryStore(t.db);
    await store.enqueueForLetters([letter.id]);
    const [claimed] = await store.claim({ workerId: "w", limit: 1, leaseMs: 60_000 });
    const attempts = await store.startAttempts([{ deliveryId: claimed!.id, number: 1, worker: "w" }]);
    const attemptId = attempts.get(claimed!.id)!;

    for (const id of [campaign.id, office.id, letter.id, claimed!.id, attemptId]) expect(id).toMatch(UUID_V7);
    // Made one after the other, so their ids sort the same way (the first 48 bits are the time).
    const made = [campaign.id, letter.id, claimed!.id, attemptId];
    expect([...made].sort()).toEqual(made);
  });
});
