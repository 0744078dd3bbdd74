import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cwcConfigFor, cwcLetter, klobuchar } from "../../../../test/fakes/cwc-letters";
import { startFakeSenateCwc, type FakeSenateCwc } from "../../../../test/fakes/senate-cwc";
import { cwcDeliveryId } from "./message.server";
import { createSenateCwcChannel, inMemorySendRate, type SenateCwcOptions, type SendRateLimiter } from "./senate.server";
import { inMemoryOfficeListStore } from "./service.server";

let fake: FakeSenateCwc;
beforeAll(async () => {
  fake = await startFakeSenateCwc();
});
afterAll(() => fake.close());
beforeEach(async () => {
  await fake.reset();
  fake.maintenance = false;
});
afterEach(() => fake.settled());

// A Tuesday afternoon in Washington, outside the maintenance windows.
const tuesday = () => new Date("2026-12-08T19:00:00Z");
const minnesotan = { sender: { state: "MN", city: "Saint Paul", zip: "55101" } };

/** A limiter that counts how often it is asked, in front of the in-memory one. */
function countingLimiter(): SendRateLimiter & { asked: number; askedBeforeSend: boolean[] } {
  const inner = inMemorySendRate();
  const limiter = {
    asked: 0,
    askedBeforeSend: [] as boolean[],
    async acquire(signal?: AbortSignal) {
      limiter.asked++;
      // Each permission comes before the message it allows arrives at the service.
      limiter.askedBeforeSend.push(fake.received.length === limiter.asked - 1);
      await inner.acquire(signal);
    },
  };
  return limiter;
}

function channel(options: Partial<SenateCwcOptions> = {}) {
  return createSenateCwcChannel({
    config: cwcConfigFor({ senate: fake }),
    store: inMemoryOfficeListStore(),
    limiter: inMemorySendRate(),
    now: tuesday,
    ...options,
  });
}

describe("the Senate CWC channel", () => {
  it("posts live campaigns to production-messages and counts 201 as sent", async () => {
    const outcome = await channel().send(cwcLetter(klobuchar, { deliveryId: "s-201", ...minnesotan }));
    expect(outcome).toMatchObject({ kind: "sent", recipient: "SMN01", reference: cwcDeliveryId("s-201") });
    expect(fake.received).toHaveLength(1);
    expect(fake.received[0]).toMatchObject({
      path: "/api/production-messages/",
      contentType: "application/xml",
      schemaErrors: [],
      status: 201,
    });
    // The supporter's name and address travel in <Constituent> only.
    const statement = /<OrganizationStatement>([\s\S]*)<\/OrganizationStatement>/.exec(fake.received[0].xml)![1];
    expect(statement).not.toMatch(/Ada Lovelace|12 Church Street/);
  });

  it("posts test-mode campaigns to testing-messages", async () => {
    expect(await channel().send(cwcLetter(klobuchar, { mode: "test", ...minnesotan }))).toMatchObject({ kind: "sent" });
    expect(fake.received[0].path).toBe("/api/testing-messages/");
  });

  it("counts a repeat after a crash as sent: the same DeliveryId answers 409", async () => {
    const senate = channel();
    const letter = cwcLetter(klobuchar, { deliveryId: "s-crash", ...minnesotan });
    expect(await senate.send(letter)).toMatchObject({ kind: "sent" });
    const repeat = await senate.send({ ...letter, attempt: 2 });
    expect(repeat).toMatchObject({ kind: "sent", response: expect.stringContaining("409") });
    expect(fake.received.map((m) => m.status)).toEqual([201, 409]);
    expect(fake.received[0].deliveryId).toBe(fake.received[1].deliveryId);
    expect(fake.deliveryIds.get(cwcDeliveryId("s-crash"))).toBe(2);
  });

  it("fails the letter on 400 and 415, keeping the Senate's reasons", async () => {
    fake.answerNext({ status: 400, errors: ["Zip does not match state", "Email is invalid"] }, { status: 415 });
    const senate = channel();
    const refused = await senate.send(cwcLetter(klobuchar, minnesotan));
    expect(refused).toMatchObject({
      kind: "permanent",
      errors: ["Zip does not match state", "Email is invalid"],
    });
    const unsupported = await senate.send(cwcLetter(klobuchar, minnesotan));
    expect(unsupported).toMatchObject({ kind: "permanent", reason: expect.stringContaining("HTTP 415") });
    expect(unsupported.kind === "permanent" && unsupported.errors).toEqual(["Unsupported media type in request."]);
  });

  it("refuses a prefix the Senate does not take, before sending anything", async () => {
    const outcome = await channel().send(cwcLetter(klobuchar, { sender: { ...minnesotan.sender, prefix: "Mx." } }));
    expect(outcome).toMatchObject({
      kind: "not-taken",
      reason: "Senate CWC would refuse it: Prefix must be one of Mr., Mrs., Miss, Ms., Dr.",
    });
    expect(fake.received).toHaveLength(0);
  });

  it("retries later on 429, 500 and no answer in time; pauses on a refused key", async () => {
    const senate = channel();
    fake.answerNext({ status: 429, retryAfterSeconds: 2 }, { status: 500 }, { status: 403 });
    expect(await senate.send(cwcLetter(klobuchar, minnesotan))).toMatchObject({
      kind: "transient",
      retryAfterMs: 2000,
    });
    expect(await senate.send(cwcLetter(klobuchar, minnesotan))).toMatchObject({ kind: "transient" });
    expect(await senate.send(cwcLetter(klobuchar, minnesotan))).toMatchObject({ kind: "paused" });
    fake.apiKey = "rotated";
    expect(await senate.send(cwcLetter(klobuchar, minnesotan))).toMatchObject({ kind: "paused" });
    fake.apiKey = "test-key";
    fake.delayMs = 1500;
    const impatient = channel({ timeoutMs: 300 });
    await impatient.refreshOffices();
    expect(await impatient.send(cwcLetter(klobuchar, minnesotan))).toMatchObject({
      kind: "transient",
      reason: "No answer within 300 ms",
    });
  });

  it("waits out the maintenance window without contacting the Senate or spending an attempt", async () => {
    fake.maintenance = true;
    const limiter = countingLimiter();
    // Sunday 2026-12-06 03:00 EST.
    const senate = channel({ now: () => new Date("2026-12-06T08:00:00Z"), limiter });
    const outcome = await senate.send(cwcLetter(klobuchar, minnesotan));
    expect(outcome).toEqual({
      kind: "waiting",
      reason: "Senate CWC is in its maintenance window",
      until: new Date("2026-12-06T11:00:00Z"),
    });
    expect(fake.received).toHaveLength(0);
    expect(fake.officeListRequests).toBe(0);
    expect(limiter.asked).toBe(0);
  });

  it("moves the letter on when the office is not on the Senate's list, and accepts only listed offices", async () => {
    const senate = channel();
    await senate.refreshOffices();
    const smith = { ...klobuchar, key: "S001203", fullName: "Tina Smith", senateClass: 2 };
    expect(senate.accepts(klobuchar)).toBe(true);
    expect(senate.accepts(smith)).toBe(false);
    expect(await senate.send(cwcLetter(smith, minnesotan))).toMatchObject({
      kind: "not-taken",
      reason: "SMN02 is not on the Senate CWC list of participating offices",
    });
    expect(fake.received).toHaveLength(0);
  });

  it("moves the letter on when the Senate refuses the office as inactive", async () => {
    const senate = channel();
    await senate.refreshOffices();
    const listed = fake.activeOffices;
    fake.offices = ["SCA03"];
    try {
      expect(await senate.send(cwcLetter(klobuchar, minnesotan))).toMatchObject({ kind: "not-taken" });
    } finally {
      fake.activeOffices = listed;
    }
  });

  it("asks the shared rate limiter before every message", async () => {
    const limiter = countingLimiter();
    const senate = channel({ limiter });
    for (const id of ["r1", "r2", "r3"]) await senate.send(cwcLetter(klobuchar, { deliveryId: id, ...minnesotan }));
    expect(limiter.asked).toBe(3);
    expect(limiter.askedBeforeSend).toEqual([true, true, true]);
    expect(fake.received).toHaveLength(3);
  });
});

describe("the in-memory send rate", () => {
  it("lets at most `max` through in any window, the rest wait their turn", async () => {
    const limiter = inMemorySendRate({ max: 3, perMs: 200 });
    const started = Date.now();
    const times = await Promise.all(
      Array.from({ length: 7 }, () => limiter.acquire().then(() => Date.now() - started)),
    );
    expect(times.slice(0, 3).every((t) => t < 100)).toBe(true);
    expect(times.slice(3, 6).every((t) => t >= 190)).toBe(true);
    expect(times[6]).toBeGreaterThanOrEqual(390);
  });

  it("gives up waiting when the send is interrupted", async () => {
    const limiter = inMemorySendRate({ max: 1, perMs: 10_000 });
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error("shutting down"));
    await expect(waiting).rejects.toThrow("shutting down");
  });
});
