// The district counts export reads the trigger-kept counters.
import { afterAll, beforeAll, expect, it } from "vitest";
import { seedCampaign, seedLetter, seedOffice } from "../../test/seed";
import { createTestDb, type TestDb } from "../../test/db";
import { areaCountsCsv } from "./area-counts.server";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.cleanup();
});

it("lists confirmed signatures per state and district, with a BOM, from the counters", async () => {
  const campaign = await seedCampaign(t.db);
  const office = await seedOffice(t.db);
  await seedLetter(t.db, { campaign, office });
  await seedLetter(t.db, { campaign, office });
  await seedLetter(t.db, { campaign, office, confirmed: false });
  // Confirmed after its district was known: counted in WA-7.
  const b = await seedLetter(t.db, { campaign, office, confirmed: false });
  await t.db.signature.update({ where: { id: b.signatureId }, data: { status: "confirmed", district: 7 } });

  const { csv, rows } = await areaCountsCsv(t.db, campaign.id);
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  expect(csv.slice(1).split("\r\n")).toEqual([
    "state,state_name,district,confirmed",
    "WA,Washington,,2",
    "WA,Washington,7,1",
    "",
  ]);
  expect(rows).toBe(2);
});
