// Letters through the channels, as the worker sends them: a Vermont supporter's four letters reach
// the House's and the Senate's CWC services and Lob (fakes on loopback that check every message
// against the CWC schema and Lob's rules), and each service's refusals end as the issue says.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DATABASES, type TestDatabase } from "../../../test/databases";
import { startFakeHouseCwc, type FakeHouseCwc } from "../../../test/fakes/house-cwc";
import { startFakeLob, type FakeLob } from "../../../test/fakes/lob";
import { startFakeSenateCwc, type FakeSenateCwc } from "../../../test/fakes/senate-cwc";
import { deliveryAgent } from "../../../test/fakes/cwc-letters";
import { elementText } from "../../../test/fakes/cwc-service";
import { recordingLogger } from "../../../test/logger";
import { seedCampaign, seedLetter } from "../../../test/seed";
import type { Db } from "~/db/client.server";
import type { Campaign, Office } from "~/generated/prisma/client";
import { createDeliveryStore } from "../queue/store.server";
import type { MailTransport } from "../transport.server";
import { startWorker } from "../worker.server";
import { createChannels } from "./channels.server";

let house: FakeHouseCwc;
let senate: FakeSenateCwc;
let lob: FakeLob;
beforeAll(async () => {
  [house, senate, lob] = await Promise.all([startFakeHouseCwc(), startFakeSenateCwc(), startFakeLob()]);
});
afterAll(async () => {
  await Promise.all([house.close(), senate.close(), lob.close()]);
});

/** No e-mail may leave in these tests: every office here has a channel of its own. */
const noMail: MailTransport = {
  kind: "outbox",
  send: () => Promise.reject(new Error("no e-mail expected")),
  close: () => Promise.resolve(),
} as unknown as MailTransport;

async function vermontOffices(db: Db): Promise<Record<"balint" | "sanders" | "welch" | "whiteHouse", Office>> {
  const office = (data: Parameters<Db["office"]["create"]>[0]["data"]) => db.office.create({ data });
  return {
    balint: await office({
      key: "B001318",
      chamber: "house",
      title: "Representative",
      lastName: "Balint",
      fullName: "Becca Balint",
      state: "VT",
      district: 0,
      postalAddress: "1408 Longworth House Office Building Washington DC 20515",
    }),
    sanders: await office({
      key: "S000033",
      chamber: "senate",
      title: "Senator",
      lastName: "Sanders",
      fullName: "Bernard Sanders",
      state: "VT",
      senateClass: 1,
      postalAddress: "332 Dirksen Senate Office Building Washington DC 20510",
    }),
    welch: await office({
      key: "W000800",
      chamber: "senate",
      title: "Senator",
      lastName: "Welch",
      fullName: "Peter Welch",
      state: "VT",
      senateClass: 3,
      postalAddress: "124 Russell Senate Office Building Washington DC 20510",
    }),
    whiteHouse: await office({
      key: "WH",
      chamber: "white_house",
      title: "President",
      lastName: "President",
      fullName: "The President",
      postalAddress: "The White House, 1600 Pennsylvania Avenue NW, Washington, DC 20500",
    }),
  };
}

describe.each(DATABASES)("letters through the channels on $name", ({ open, skip }) => {
  if (skip) return void it.skip("PG_TESTS=off");
  let t: TestDatabase;
  let campaign: Campaign;
  let offices: Awaited<ReturnType<typeof vermontOffices>>;
  beforeEach(async () => {
    t = await open();
    await Promise.all([house.reset(), senate.reset()]);
    lob.letters.length = 0;
    lob.requests.length = 0;
    house.testOffices = ["HVT00"];
    senate.offices = ["SVT01", "SVT03"];
    campaign = await seedCampaign(t.db, { mode: "test", testInbox: "inbox@campaign.example" });
    campaign = await t.db.campaign.update({
      where: { id: campaign.id },
      data: { cwcTopics: JSON.stringify(["Armed Forces and National Security", "International Affairs"]) },
    });
    offices = await vermontOffices(t.db);
  });
  afterEach(async () => {
    await Promise.all([house.settled(), senate.settled()]);
    await t.cleanup();
  });

  /** A confirmed Vermont supporter's letter to each office, queued; returns the delivery ids by office key. */
  async function sign(to: Office[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (const office of to) {
      const letter = await seedLetter(t.db, {
        campaign,
        office,
        firstName: "Rosa",
        lastName: "O'Connell & <Daughters>",
      });
      await t.db.signature.update({
        where: { id: letter.signatureId },
        data: { prefix: "Ms.", street: "12 Main St", city: "Montpelier", state: "VT", zip: "05602" },
      });
      await createDeliveryStore(t.db).enqueueForLetters([letter.id]);
      const delivery = await t.db.delivery.findFirstOrThrow({ where: { letterId: letter.id } });
      ids.set(office.key, delivery.id);
    }
    return ids;
  }

  async function deliver(apiKeys: { cwc?: string; lob?: string } = {}) {
    const channels = await createChannels(t.db, {
      cwc: {
        house: { apiKey: apiKeys.cwc ?? house.apiKey, url: house.url, testUrl: `${house.url}/uat` },
        senate: { apiKey: apiKeys.cwc ?? senate.apiKey, url: senate.url },
        agent: deliveryAgent,
      },
      print: { apiKey: apiKeys.lob ?? lob.keys.test, url: lob.url, keyMode: "test" },
    });
    const logger = recordingLogger();
    const worker = startWorker({
      db: t.db,
      transport: noMail,
      mailFrom: "Campaign <letters@campaign.example>",
      channels,
      logger,
      pollMs: 50,
    });
    await worker.drain();
    await worker.stop();
    return logger;
  }

  it("sends the House's XML for HVT00, the Senate's for Sanders and Welch, and prints the White House's letter", async () => {
    const ids = await sign([offices.balint, offices.sanders, offices.welch, offices.whiteHouse]);
    await deliver();

    expect(house.received.map((m) => [m.path, m.memberOffice])).toEqual([["/uat/v2/message", "HVT00"]]);
    expect(senate.received.map((m) => [m.path, m.memberOffice]).sort()).toEqual([
      ["/api/testing-messages/", "SVT01"],
      ["/api/testing-messages/", "SVT03"],
    ]);
    expect(lob.letters).toHaveLength(1);
    expect(lob.letters[0]!.body).toMatchObject({
      to: expect.objectContaining({ address_line1: expect.stringMatching(/1600 Pennsylvania/) }),
    });
    expect(lob.printed()).toEqual([]); // a test key prints nothing
    // Hostile characters travel escaped, and read back as typed.
    expect(house.received[0]!.xml).toContain("&amp; &lt;Daughters&gt;");
    expect(elementText(house.received[0]!.xml, "LastName")).toBe("O'Connell & <Daughters>");
    // Every message valid against the CWC schema, and signed "Ms." as the supporter chose.
    for (const message of [...house.received, ...senate.received]) {
      expect(message).toMatchObject({ schemaErrors: [], prefix: "Ms.", status: expect.any(Number) });
    }

    const deliveries = await t.db.delivery.findMany();
    const byOffice = (key: string) => deliveries.find((d) => d.id === ids.get(key))!;
    expect(byOffice("B001318")).toMatchObject({
      status: "sent",
      channel: "house-cwc",
      reference: house.received[0]!.deliveryId,
    });
    expect(byOffice("S000033")).toMatchObject({ status: "sent", channel: "senate-cwc" });
    expect(byOffice("W000800")).toMatchObject({ status: "sent", channel: "senate-cwc" });
    expect(byOffice("WH")).toMatchObject({ status: "sent", channel: "print", reference: lob.letters[0]!.id });
    expect(byOffice("WH").route).toMatch(/printed and mailed/);
  });

  it("fails a letter the House refuses (400), keeping every error text", async () => {
    house.answerNext({ status: 400, errors: ["Zip does not match the district", "Prefix is not allowed"] });
    const ids = await sign([offices.balint]);
    await deliver();
    const delivery = await t.db.delivery.findUniqueOrThrow({ where: { id: ids.get("B001318") } });
    expect(delivery.status).toBe("failed");
    expect(delivery.lastError).toContain("Zip does not match the district");
    expect(delivery.lastError).toContain("Prefix is not allowed");
  });

  it("moves a senator's letter to print when the Senate's list does not have the office, and says why", async () => {
    senate.offices = ["SVT03"];
    const ids = await sign([offices.sanders]);
    await deliver();
    expect(senate.received).toEqual([]);
    const delivery = await t.db.delivery.findUniqueOrThrow({ where: { id: ids.get("S000033") } });
    expect(delivery).toMatchObject({ status: "sent", channel: "print" });
    expect(lob.letters).toHaveLength(1);
  });

  it("prints a letter CWC would refuse for the supporter's details (no title given), and records why", async () => {
    const ids = await sign([offices.welch]);
    await t.db.signature.updateMany({ data: { prefix: null } });
    await deliver();
    expect(senate.received).toEqual([]);
    const delivery = await t.db.delivery.findUniqueOrThrow({ where: { id: ids.get("W000800") } });
    expect(delivery).toMatchObject({ status: "sent", channel: "print" });
    expect(delivery.route).toMatch(/senate-cwc did not take it: Senate CWC would refuse it: Prefix/);
  });

  it("puts letters back without spending an attempt when a service refuses our key", async () => {
    const ids = await sign([offices.welch]);
    senate.answerNext({ status: 401 });
    await deliver();
    const delivery = await t.db.delivery.findUniqueOrThrow({ where: { id: ids.get("W000800") } });
    expect(delivery).toMatchObject({ status: "queued", attempts: 0, channel: "senate-cwc" });
    expect(delivery.runAt.getTime()).toBeGreaterThan(Date.now());
    expect(delivery.lastError).toMatch(/401|key/i);
    const attempts = await t.db.deliveryAttempt.findMany({ where: { deliveryId: delivery.id } });
    expect(attempts.map((a) => a.outcome)).toEqual(["deferred"]);
  });
});
