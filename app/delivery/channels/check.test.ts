// npm run channels:check's report, against the fake services: each office's channel and why, the
// counts per chamber, and a channel that is on but takes no office reported as a problem.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../../../test/db";
import { deliveryAgent } from "../../../test/fakes/cwc-letters";
import { startFakeHouseCwc, type FakeHouseCwc } from "../../../test/fakes/house-cwc";
import { startFakeLob, type FakeLob } from "../../../test/fakes/lob";
import { startFakeSenateCwc, type FakeSenateCwc } from "../../../test/fakes/senate-cwc";
import { checkChannels } from "./check.server";
import type { ChannelsConfig } from "./config.server";

let house: FakeHouseCwc;
let senate: FakeSenateCwc;
let lob: FakeLob;
let t: TestDb;
beforeAll(async () => {
  [house, senate, lob] = await Promise.all([startFakeHouseCwc(), startFakeSenateCwc(), startFakeLob()]);
});
afterAll(async () => {
  await Promise.all([house.close(), senate.close(), lob.close()]);
});
beforeEach(async () => {
  t = await createTestDb();
  await Promise.all([house.reset(), senate.reset()]);
  house.offices = ["HVT00"];
  senate.offices = ["SVT01"];
  const base = { title: "Senator", lastName: "x", state: "VT" };
  await t.db.office.createMany({
    data: [
      { ...base, key: "B001318", chamber: "house", title: "Representative", fullName: "Becca Balint", district: 0 },
      { ...base, key: "S000033", chamber: "senate", fullName: "Bernard Sanders", senateClass: 1 },
      { ...base, key: "W000800", chamber: "senate", fullName: "Peter Welch", senateClass: 3, postalAddress: null },
      {
        key: "WH",
        chamber: "white_house",
        title: "President",
        lastName: "President",
        fullName: "The President",
        postalAddress: "The White House, 1600 Pennsylvania Avenue NW, Washington, DC 20500",
      },
    ],
  });
});
afterEach(async () => {
  await t.cleanup();
});

const config = (cwcKey?: string): ChannelsConfig => ({
  cwc: {
    house: { apiKey: cwcKey ?? house.apiKey, url: house.url, testUrl: `${house.url}/uat` },
    senate: { apiKey: cwcKey ?? senate.apiKey, url: senate.url },
    agent: deliveryAgent,
  },
  print: { apiKey: lob.keys.test, url: lob.url, keyMode: "test" },
});

describe("npm run channels:check", () => {
  it("says each office's channel and why, and counts the offices each chamber's service takes", async () => {
    const check = await checkChannels(t.db, config());
    const channelOf = Object.fromEntries(check.offices.map((o) => [o.key, o.channel]));
    expect(channelOf).toEqual({ B001318: "house-cwc", S000033: "senate-cwc", W000800: null, WH: "print" });
    expect(check.offices.find((o) => o.key === "W000800")!.why).toBe("no delivery channel for this office");
    expect(check.summary).toEqual([
      "House CWC: 1 of 1 House offices",
      "Senate CWC: 1 of 2 senators",
      "print: 1 offices (Lob test key)",
      "held (no channel): 1 offices",
    ]);
    expect(check.problems).toEqual([]);
  });

  it("reports a channel that is on but takes no office (a refused key)", async () => {
    const check = await checkChannels(t.db, config("wrong-key"));
    expect(check.problems).toEqual([
      "House CWC is on but takes no office: check its key and address, and that the service answers",
      "Senate CWC is on but takes no office: check its key and address, and that the service answers",
    ]);
    expect(check.offices.find((o) => o.key === "B001318")!.channel).toBeNull();
  });
});
