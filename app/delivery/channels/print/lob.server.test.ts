import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeLob, type FakeLob } from "../../../../test/fakes/lob";
import type { DeliveryChannel, LetterOffice, OutgoingLetter } from "../channel";
import { parsePrintConfig } from "./config.server";
import { createLobChannel, lobIdempotencyKey, parseRetryAfter } from "./lob.server";

const welch: LetterOffice = {
  key: "W000800",
  chamber: "senate",
  title: "Senator",
  fullName: "Peter Welch",
  state: "VT",
  district: null,
  senateClass: 1,
  postalAddress: "124 Russell Senate Office Building Washington DC 20510",
  email: null,
};
const whiteHouse: LetterOffice = {
  key: "WH",
  chamber: "president",
  title: "President",
  fullName: "The President",
  state: null,
  district: null,
  senateClass: null,
  postalAddress: "The White House, 1600 Pennsylvania Avenue NW, Washington, DC 20500",
  email: null,
};

let sequence = 0;
function outgoing(
  overrides: { office?: LetterOffice; mode?: "test" | "live"; ownWords?: string | null; deliveryId?: string } = {},
): OutgoingLetter {
  sequence += 1;
  return {
    deliveryId: overrides.deliveryId ?? `dlv-${sequence}`,
    attempt: 1,
    letter: {
      subject: "Ban landmines",
      bodyText: "Dear Senator Welch,\n\nPlease support the Mine Ban Treaty.\n\nSincerely,",
      ownWords: overrides.ownWords ?? null,
      createdAt: new Date("2026-12-04T15:00:00Z"),
    },
    sender: {
      prefix: null,
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@supporters.example",
      phone: null,
      street: "12 Pine Street",
      city: "Burlington",
      state: "VT",
      zip: "05401",
    },
    office: overrides.office ?? welch,
    campaign: {
      id: "c1",
      slug: "landmines",
      mode: overrides.mode ?? "live",
      cwcCampaignId: "landmines-2026",
      cwcTopics: ["Armed Forces and National Security"],
      cwcBills: [],
    },
  };
}

let lob: FakeLob;
let live: DeliveryChannel;
let test: DeliveryChannel;
beforeAll(async () => {
  lob = await startFakeLob();
  live = createLobChannel({ apiKey: lob.keys.live, url: lob.url, keyMode: "live", timeoutMs: 2000 });
  test = createLobChannel({ apiKey: lob.keys.test, url: lob.url, keyMode: "test", timeoutMs: 2000 });
});
afterAll(() => lob.close());
beforeEach(() => {
  lob.requests.length = 0;
  lob.letters.length = 0;
});

describe("print-and-mail through Lob", () => {
  it("posts the letter from the supporter to the office and keeps Lob's letter id and expected delivery", async () => {
    const outcome = await live.send(outgoing());
    expect(outcome).toMatchObject({
      kind: "sent",
      reference: expect.stringMatching(/^ltr_/),
      expectedDelivery: expect.any(Date),
      recipient: "Hon. Peter Welch, 124 Russell Senate Office Building, Washington, DC 20510",
    });
    expect(lob.printed()).toHaveLength(1);
    const [request] = lob.requests;
    expect(request.path).toBe("/v1/letters");
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`${lob.keys.live}:`).toString("base64")}`);
    expect(request.body).toMatchObject({
      to: {
        name: "Hon. Peter Welch",
        company: "United States Senate",
        address_line1: "124 Russell Senate Office Building",
        address_city: "Washington",
        address_state: "DC",
        address_zip: "20510",
      },
      from: {
        name: "Ada Lovelace",
        address_line1: "12 Pine Street",
        address_city: "Burlington",
        address_state: "VT",
        address_zip: "05401",
      },
      color: false,
      use_type: "operational",
      address_placement: "top_first_page",
    });
    const body = request.body as { file: string };
    expect(body.file).toContain("Please support the Mine Ban Treaty.");
    if (outcome.kind === "sent") {
      expect(outcome.reference).toBe(lob.letters[0].id);
      expect(outcome.expectedDelivery?.toISOString().slice(0, 10)).toBe(lob.letters[0].answer.expected_delivery_date);
      // The attempt log keeps the letter's id, not the supporter's address Lob echoes back.
      expect(outcome.response).not.toContain("Pine Street");
    }
  });

  it("addresses the White House as The President at The White House", async () => {
    const outcome = await live.send(outgoing({ office: whiteHouse }));
    expect(outcome.kind).toBe("sent");
    expect(lob.requests[0].body).toMatchObject({
      to: {
        name: "The President",
        company: "The White House",
        address_line1: "1600 Pennsylvania Avenue NW",
        address_zip: "20500",
      },
    });
  });

  it("retries a delivery with the same idempotency key, and Lob prints it once", async () => {
    const letter = outgoing({ deliveryId: "dlv-retried" });
    // The first answer is lost: Lob made the letter but answered after our timeout.
    lob.failNext({ delayMs: 2500 });
    const first = await live.send(letter);
    expect(first).toMatchObject({
      kind: "transient",
      reason: expect.stringContaining("did not answer within 2000 ms"),
    });
    // Retried while Lob is still making the letter: asked to wait, not given a second letter.
    expect(await live.send({ ...letter, attempt: 2 })).toMatchObject({
      kind: "transient",
      reason: expect.stringContaining("409"),
    });
    await expect.poll(() => lob.letters.length).toBe(1);

    const second = await live.send({ ...letter, attempt: 3 });
    const third = await live.send({ ...letter, attempt: 4 });
    expect(second).toMatchObject({ kind: "sent", reference: lob.letters[0].id });
    expect(third).toMatchObject({ kind: "sent", reference: lob.letters[0].id });
    const keys = lob.requests.map((r) => r.headers["idempotency-key"]);
    expect(keys).toEqual(Array(4).fill(lobIdempotencyKey("dlv-retried")));
    // The same request every time, so Lob's stored letter is the letter we mean.
    expect(new Set(lob.requests.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(lob.printed()).toHaveLength(1);

    await live.send(outgoing({ deliveryId: "dlv-other" }));
    expect(lobIdempotencyKey("dlv-other")).not.toBe(lobIdempotencyKey("dlv-retried"));
    expect(lob.printed()).toHaveLength(2);
  });

  it("refuses to print a test campaign's letter with a live key, and sends nothing", async () => {
    const outcome = await live.send(outgoing({ mode: "test" }));
    expect(outcome).toMatchObject({
      kind: "paused",
      reason: expect.stringContaining("test mode but LOB_API_KEY is a live key"),
    });
    expect(lob.requests).toEqual([]);
  });

  it("refuses to record a live campaign's letter as sent with a test key, and sends nothing", async () => {
    const outcome = await test.send(outgoing({ mode: "live" }));
    expect(outcome).toMatchObject({
      kind: "paused",
      reason: expect.stringContaining("live but LOB_API_KEY is a test key"),
    });
    expect(lob.requests).toEqual([]);
  });

  it("sends a test campaign's letter with a test key, which prints nothing", async () => {
    const outcome = await test.send(outgoing({ mode: "test" }));
    expect(outcome).toMatchObject({
      kind: "sent",
      response: expect.stringContaining("Lob test key: nothing was printed"),
    });
    expect(lob.letters).toHaveLength(1);
    expect(lob.printed()).toEqual([]);
  });

  it("pauses the channel when Lob refuses the key (401, 403)", async () => {
    lob.failNext({ status: 401 }, { status: 403 });
    expect(await live.send(outgoing())).toMatchObject({ kind: "paused", reason: expect.stringContaining("401") });
    expect(await live.send(outgoing())).toMatchObject({ kind: "paused", reason: expect.stringContaining("403") });
    const wrongKey = createLobChannel({ apiKey: "live_wrong", url: lob.url, keyMode: "live" });
    expect(await wrongKey.send(outgoing())).toMatchObject({
      kind: "paused",
      reason: expect.stringContaining("unauthorized"),
    });
    expect(lob.letters).toEqual([]);
  });

  it("fails the letter with Lob's message when Lob refuses it (422, 400, 404)", async () => {
    lob.failNext(
      { status: 422, message: "address_line1 could not be verified", code: "failed_deliverability_strictness" },
      { status: 400, message: "Bad request" },
      { status: 404, message: "Not found" },
    );
    expect(await live.send(outgoing())).toMatchObject({
      kind: "permanent",
      reason: expect.stringContaining("address_line1 could not be verified"),
      errors: ["failed_deliverability_strictness: address_line1 could not be verified"],
    });
    expect(await live.send(outgoing())).toMatchObject({ kind: "permanent", reason: expect.stringContaining("400") });
    expect(await live.send(outgoing())).toMatchObject({ kind: "permanent", reason: expect.stringContaining("404") });
  });

  it("retries later when Lob is busy or failing (429 with Retry-After, 500) or cannot be reached", async () => {
    lob.failNext({ status: 429, retryAfter: "7" }, { status: 500 });
    expect(await live.send(outgoing())).toMatchObject({
      kind: "transient",
      retryAfterMs: 7000,
      reason: expect.stringContaining("429"),
    });
    const failed = await live.send(outgoing());
    expect(failed).toMatchObject({ kind: "transient", reason: expect.stringContaining("500") });
    expect(failed).not.toHaveProperty("retryAfterMs");

    const nowhere = createLobChannel({ apiKey: lob.keys.live, url: "http://127.0.0.1:1", keyMode: "live" });
    expect(await nowhere.send(outgoing())).toMatchObject({
      kind: "transient",
      reason: expect.stringContaining("could not be reached"),
    });
    expect(lob.letters).toEqual([]);
  });

  it("gives the letter back when the worker stops while Lob has not answered", async () => {
    lob.failNext({ delayMs: 1000 });
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 50);
    expect(await live.send(outgoing(), { signal: stop.signal })).toMatchObject({
      kind: "transient",
      reason: expect.stringContaining("worker stopped"),
    });
    // Lob may still make the letter; the next attempt's idempotency key gets that one back.
    await expect.poll(() => lob.letters.length).toBe(1);
  });

  it("reads Retry-After in seconds or as a date", () => {
    expect(parseRetryAfter("120")).toBe(120_000);
    expect(parseRetryAfter("Fri, 04 Dec 2026 16:00:30 GMT", Date.parse("2026-12-04T16:00:00Z"))).toBe(30_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it("takes only offices whose address it can print, and says why not when asked to send another", async () => {
    const noAddress = { ...welch, key: "G000607", postalAddress: null };
    expect(live.accepts(welch)).toBe(true);
    expect(live.accepts(whiteHouse)).toBe(true);
    expect(live.accepts(noAddress)).toBe(false);
    expect(await live.send(outgoing({ office: noAddress }))).toEqual({
      kind: "not-taken",
      reason: "The office has no postal address.",
    });
    expect(lob.requests).toEqual([]);
  });

  it("refuses a letter too long for Lob before sending it", async () => {
    const outcome = await live.send(outgoing({ ownWords: "&".repeat(2000) }));
    expect(outcome).toMatchObject({ kind: "permanent", reason: expect.stringMatching(/Lob takes at most 10000/) });
    expect(lob.requests).toEqual([]);
  });

  it("shortens a long name on the envelope only, and fits a long street on two lines", async () => {
    const letter = outgoing();
    letter.sender = {
      ...letter.sender,
      firstName: "Maximiliana Esperanza",
      lastName: "Villalobos-Fairweather Montgomery",
      street: "Apartment 4B, The Old Granary Building, 1234 Long Meadow Brook Road Extension",
    };
    expect(await live.send(letter)).toMatchObject({ kind: "sent" });
    const body = lob.requests[0].body as { from: Record<string, string>; file: string };
    expect(body.from.name).toBe("M. Villalobos-Fairweather Montgomery");
    expect(body.from.address_line1.length).toBeLessThanOrEqual(64);
    expect(`${body.from.address_line1} ${body.from.address_line2}`).toBe(letter.sender.street);
    expect(body.file).toContain("Maximiliana Esperanza Villalobos-Fairweather Montgomery");
  });
});

describe("print configuration", () => {
  it("is off without LOB_API_KEY, and knows a test key from a live one", () => {
    expect(parsePrintConfig({})).toBeNull();
    expect(parsePrintConfig({ LOB_API_KEY: "  " })).toBeNull();
    expect(parsePrintConfig({ LOB_API_KEY: "test_abc123" })).toEqual({
      apiKey: "test_abc123",
      url: "https://api.lob.com",
      keyMode: "test",
    });
    expect(parsePrintConfig({ LOB_API_KEY: "live_abc123", LOB_URL: "http://127.0.0.1:4010/" })).toMatchObject({
      url: "http://127.0.0.1:4010",
      keyMode: "live",
    });
  });

  it("names the variable that is wrong", () => {
    expect(() => parsePrintConfig({ LOB_API_KEY: "sk_abc" })).toThrow(/LOB_API_KEY: must be a Lob secret key/);
    expect(() => parsePrintConfig({ LOB_API_KEY: "test_abc", LOB_URL: "api.lob.com" })).toThrow(
      /LOB_URL: must be an http/,
    );
  });
});

describe("the fake Lob", () => {
  // The channel's tests are only as good as the fake's checks: it refuses what Lob refuses.
  it("refuses a request Lob would refuse, in Lob's error shape", async () => {
    const post = async (body: unknown, key = lob.keys.test) => {
      const response = await fetch(`${lob.url}/v1/letters`, {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${key}:`).toString("base64")}`,
          "content-type": "application/json",
        },
        body: JSON.stringify(body),
      });
      return {
        status: response.status,
        body: (await response.json()) as { error?: { message: string; status_code: number; code: string } },
      };
    };
    const address = {
      name: "A",
      address_line1: "1 Main St",
      address_city: "Burlington",
      address_state: "VT",
      address_zip: "05401",
    };
    const good = { to: address, from: address, file: "<p>Hi</p>", color: false, use_type: "operational" };

    expect((await post(good)).status).toBe(200);
    expect(await post({ ...good, file: "x".repeat(10_001) })).toMatchObject({
      status: 422,
      body: { error: { status_code: 422, code: "invalid", message: expect.stringContaining("10000") } },
    });
    expect((await post({ ...good, use_type: undefined })).body.error?.message).toBe("use_type is required");
    expect((await post({ ...good, color: "no" })).body.error?.message).toBe("color must be a boolean");
    expect((await post({ ...good, to: { ...address, name: "N".repeat(41) } })).status).toBe(422);
    expect((await post({ ...good, from: { ...address, address_zip: "5401" } })).status).toBe(422);
    expect((await post({ ...good, to: { ...address, name: undefined } })).body.error?.message).toBe(
      "to.name or to.company is required",
    );
    expect((await post(good, "test_unknown")).status).toBe(401);
    expect(lob.letters).toHaveLength(1);
  });
});
