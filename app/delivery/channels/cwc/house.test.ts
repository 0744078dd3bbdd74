import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cwcConfigFor, cwcLetter, deliveryAgent, vermontAtLarge } from "../../../../test/fakes/cwc-letters";
import { startFakeHouseCwc, type FakeHouseCwc } from "../../../../test/fakes/house-cwc";
import { createHouseCwcChannel, houseOutcome, type HouseCwcOptions } from "./house.server";
import { composeCwcMessage, cwcDeliveryId } from "./message.server";
import { inMemoryOfficeListStore } from "./service.server";

let fake: FakeHouseCwc;
beforeAll(async () => {
  fake = await startFakeHouseCwc();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());
afterEach(() => fake.settled());

function channel(options: Partial<HouseCwcOptions> = {}) {
  return createHouseCwcChannel({ config: cwcConfigFor({ house: fake }), store: inMemoryOfficeListStore(), ...options });
}

describe("the House CWC channel", () => {
  it("delivers a valid message and reports it sent, with the DeliveryId as the reference", async () => {
    const house = channel();
    const outcome = await house.send(cwcLetter(vermontAtLarge, { deliveryId: "d-200" }));
    expect(outcome).toMatchObject({ kind: "sent", recipient: "HVT00", reference: cwcDeliveryId("d-200") });
    expect(fake.received).toHaveLength(1);
    expect(fake.received[0]).toMatchObject({
      path: "/v2/message",
      contentType: "application/xml",
      schemaErrors: [],
      status: 200,
    });
    expect(fake.received[0].apiKey).toBe("test-key");
  });

  it("sends test-mode campaigns to the House's test service, by its own office list", async () => {
    const house = channel();
    expect(await house.send(cwcLetter(vermontAtLarge, { mode: "test" }))).toMatchObject({ kind: "sent" });
    expect(fake.received[0].path).toBe("/uat/v2/message");
    // HAK00 is on the live list only.
    const alaska = { ...vermontAtLarge, key: "B001323", state: "AK" };
    expect(await house.send(cwcLetter(alaska, { mode: "test", sender: { state: "AK" } }))).toMatchObject({
      kind: "not-taken",
    });
    expect(fake.received).toHaveLength(1);
  });

  it("keeps every error text of a refusal and fails the letter for good", async () => {
    fake.answerNext({ status: 400, errors: ["Zip does not match the district", "Phone & e-mail <missing>"] });
    const outcome = await channel().send(cwcLetter(vermontAtLarge));
    expect(outcome).toMatchObject({
      kind: "permanent",
      errors: ["Zip does not match the district", "Phone & e-mail <missing>"],
    });
    expect(outcome.kind === "permanent" && outcome.reason).toContain(
      "Zip does not match the district; Phone & e-mail <missing>",
    );
  });

  it("pauses, without sending, when our own vendor details are what CWC would refuse", async () => {
    const agent = { ...cwcConfigFor({}).agent!, name: "Abc" };
    const house = channel({ config: { ...cwcConfigFor({ house: fake }), agent } });
    const outcome = await house.send(cwcLetter(vermontAtLarge));
    expect(outcome).toMatchObject({
      kind: "paused",
      reason: "House CWC would refuse it: Delivery agent must be at least 4 characters",
    });
    expect(fake.received).toHaveLength(0);
  });

  it("leaves a letter CWC would refuse for the supporter's details to the next channel, without sending", async () => {
    const outcome = await channel().send(
      cwcLetter(vermontAtLarge, { sender: { ...cwcLetter(vermontAtLarge).sender, prefix: null } }),
    );
    expect(outcome).toMatchObject({
      kind: "not-taken",
      reason: expect.stringMatching(/^House CWC would refuse it: Prefix/),
    });
    expect(fake.received).toHaveLength(0);
  });

  it("answers a message the schema refuses as the House does, and the channel keeps its complaints", async () => {
    const { xml } = composeCwcMessage(cwcLetter(vermontAtLarge), deliveryAgent, "house") as { xml: string };
    const broken = xml
      .replace(/<Zip>[^<]*<\/Zip>/, "<Zip>5401</Zip>")
      .replace(/<Subject>[^<]*<\/Subject>/, "<Subject>Hi</Subject>");
    const response = await fetch(`${fake.url}/v2/message?apikey=test-key`, {
      method: "POST",
      headers: { "Content-Type": "application/xml" },
      body: broken,
    });
    const answer = { status: response.status, body: await response.text(), headers: response.headers };
    expect(answer.status).toBe(400);
    const outcome = houseOutcome(answer, "HVT00");
    expect(outcome.kind).toBe("permanent");
    const errors = outcome.kind === "permanent" ? (outcome.errors ?? []) : [];
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors.join("\n")).toMatch(/Zip/);
    expect(errors.join("\n")).toMatch(/Subject/);
  });

  it("moves the letter on when the office is not on the list, without sending", async () => {
    const house = channel();
    const minnesota = { ...vermontAtLarge, key: "O000173", state: "MN", district: 4 };
    expect(await house.send(cwcLetter(minnesota, { sender: { state: "MN" } }))).toMatchObject({
      kind: "not-taken",
      reason: "HMN04 is not on the House CWC list of participating offices",
    });
    expect(fake.received).toHaveLength(0);
  });

  it("moves the letter on when the House says the office left the programme since the list was fetched", async () => {
    const house = channel();
    await house.refreshOffices();
    fake.offices = fake.offices.filter((code) => code !== "HVT00");
    try {
      const outcome = await house.send(cwcLetter(vermontAtLarge));
      expect(outcome).toMatchObject({ kind: "not-taken" });
      expect(outcome.kind === "not-taken" && outcome.reason).toContain("HVT00");
    } finally {
      fake.offices.push("HVT00");
    }
  });

  it("pauses on a refused key without failing the letter", async () => {
    const house = channel();
    await house.refreshOffices();
    fake.apiKey = "another-key";
    expect(await house.send(cwcLetter(vermontAtLarge))).toMatchObject({ kind: "paused" });
    fake.answerNext({ status: 403 });
    fake.apiKey = "test-key";
    expect(await house.send(cwcLetter(vermontAtLarge))).toMatchObject({ kind: "paused" });
  });

  it("pauses when no office list can be had because the key is refused", async () => {
    fake.apiKey = "another-key";
    const house = channel();
    expect(await house.send(cwcLetter(vermontAtLarge))).toMatchObject({
      kind: "paused",
      reason: expect.stringContaining("API key"),
    });
    expect(house.accepts(vermontAtLarge)).toBe(false);
  });

  it("retries later on 429 (with the service's Retry-After), 500 and no answer in time", async () => {
    const house = channel();
    fake.answerNext({ status: 429, retryAfterSeconds: 30 }, { status: 500 });
    expect(await house.send(cwcLetter(vermontAtLarge))).toMatchObject({ kind: "transient", retryAfterMs: 30_000 });
    expect(await house.send(cwcLetter(vermontAtLarge))).toMatchObject({
      kind: "transient",
      reason: expect.stringContaining("500"),
    });
    const impatient = channel({ timeoutMs: 300 });
    await impatient.refreshOffices();
    fake.delayMs = 1500;
    expect(await impatient.send(cwcLetter(vermontAtLarge))).toMatchObject({
      kind: "transient",
      reason: "No answer within 300 ms",
    });
  });

  it("retries later when the service cannot be reached", async () => {
    const house = createHouseCwcChannel({
      config: { ...cwcConfigFor({ house: { url: "http://127.0.0.1:9" } }) },
      store: inMemoryOfficeListStore(),
    });
    expect(await house.send(cwcLetter(vermontAtLarge))).toMatchObject({ kind: "transient" });
  });

  it("checks a letter with /v2/validate, which delivers nothing", async () => {
    const outcome = await channel().validate(cwcLetter(vermontAtLarge));
    expect(outcome).toMatchObject({ kind: "sent" });
    expect(fake.received.map((m) => m.path)).toEqual(["/v2/validate"]);
    expect(fake.deliveryIds.size).toBe(0);
  });

  it("fetches the office list at most every 12 hours and keeps the last good one", async () => {
    let now = new Date("2026-12-01T12:00:00Z");
    const store = inMemoryOfficeListStore();
    const house = channel({ store, now: () => now });
    expect(house.accepts(vermontAtLarge)).toBe(false); // nothing loaded yet
    await house.refreshOffices();
    expect(house.accepts(vermontAtLarge)).toBe(true);
    expect(store.lists.get("house-cwc:live")?.codes).toContain("HVT00");
    const requests = fake.officeListRequests;

    now = new Date("2026-12-01T23:59:00Z");
    await house.send(cwcLetter(vermontAtLarge));
    expect(fake.officeListRequests).toBe(requests);

    // 12 hours on, the list is fetched again; when that fails, the last good list still serves.
    now = new Date("2026-12-02T00:00:00Z");
    fake.apiKey = "rotated";
    expect(await house.send(cwcLetter(vermontAtLarge))).toMatchObject({ kind: "paused" }); // the message's own 401
    expect(fake.officeListRequests).toBe(requests + 1);
    expect(house.accepts(vermontAtLarge)).toBe(true);
    expect(store.lists.get("house-cwc:live")?.fetchedAt).toEqual(new Date("2026-12-01T12:00:00Z"));

    // Another process starts from the stored list without fetching.
    const other = channel({ store, now: () => now });
    await other.refreshOffices();
    expect(other.accepts(vermontAtLarge)).toBe(true);
  });

  it("takes no letters when it is not configured or the office is not a House office", async () => {
    const off = createHouseCwcChannel({ config: { house: null, agent: null }, store: inMemoryOfficeListStore() });
    expect(off.accepts(vermontAtLarge)).toBe(false);
    expect(await off.send(cwcLetter(vermontAtLarge))).toMatchObject({ kind: "paused" });
    const house = channel();
    await house.refreshOffices();
    expect(house.accepts({ ...vermontAtLarge, key: "WH", chamber: "president", state: null, district: null })).toBe(
      false,
    );
  });
});
