import { create } from "xmlbuilder2";
import { describe, expect, it } from "vitest";
import { cwcLetter, deliveryAgent, klobuchar, vermontAtLarge } from "../../../../test/fakes/cwc-letters";
import { CWC_SCHEMA, SchemaChecker } from "../../../../test/fakes/cwc-service";
import { SENATE_CWC_SCHEMA } from "../../../../test/fakes/senate-cwc";
import { parseCwcConfig } from "./config.server";
import { easternDate, senateMaintenanceEnd } from "./eastern-time";
import { CWC_LENGTHS, cwcPhone, cwcSenderProblems } from "./limits";
import { composeCwcMessage, cwcDeliveryId, organizationStatement, withoutSignature } from "./message.server";

const houseSchema = new SchemaChecker(CWC_SCHEMA);
const senateSchema = new SchemaChecker(SENATE_CWC_SCHEMA);

/** The text of each element named `name`, as an XML parser reads it back. */
function texts(xml: string, name: string): string[] {
  const doc = create(xml);
  return doc
    .root()
    .filter((node) => node.node.nodeName === name, true, true)
    .map((node) => node.node.textContent ?? "");
}

function composed(...args: Parameters<typeof composeCwcMessage>) {
  const message = composeCwcMessage(...args);
  if (!message.ok) throw new Error(message.problems.map((p) => p.message).join("; "));
  return message;
}

describe("composing a CWC message", () => {
  const awkward = {
    firstName: `Zoë "Z" <O'Brien> & Co`,
    lastName: "כהן-عبد الله",
    street: '1 <Main> & "Elm" Street 🏠',
    city: "Saint-Jérôme 🌲",
  };

  it("escapes markup, quotes, emoji and right-to-left text so they read back exactly", async () => {
    const ownWords = `I'd say <b>this</b> & "that" 💣 — مرحبا بالعالم`;
    const letter = cwcLetter(vermontAtLarge, {
      sender: awkward,
      ownWords,
      letter: { subject: `Mines & "bombs" <now>` },
    });
    const { xml } = composed(letter, deliveryAgent, "house");
    expect(await houseSchema.errors(xml)).toEqual([]);
    expect(texts(xml, "FirstName")).toEqual([awkward.firstName]);
    expect(texts(xml, "LastName")).toEqual([awkward.lastName]);
    expect(texts(xml, "Address1")).toEqual([awkward.street]);
    expect(texts(xml, "City")).toEqual([awkward.city]);
    expect(texts(xml, "Subject")).toEqual([`Mines & "bombs" <now>`]);
    expect(texts(xml, "ConstituentMessage")).toEqual([ownWords]);
    expect(xml).not.toContain("<b>");
  });

  it("removes characters XML 1.0 forbids instead of sending a message no parser reads", async () => {
    const letter = cwcLetter(klobuchar, {
      sender: { firstName: "Ada\u0000\u0007", lastName: "Love\uFFFElace\uD800" },
      ownWords: "Bell\u0007 and a form feed\u000C in my words.\r\nSecond line.",
    });
    const { xml } = composed(letter, deliveryAgent, "senate");
    expect(await senateSchema.errors(xml)).toEqual([]);
    expect(texts(xml, "FirstName")).toEqual(["Ada"]);
    expect(texts(xml, "LastName")).toEqual(["Lovelace"]);
    expect(texts(xml, "ConstituentMessage")).toEqual(["Bell and a form feed in my words.\nSecond line."]);
  });

  it("carries the campaign's text and the supporter's own words apart, without repeating them", () => {
    const letter = cwcLetter(vermontAtLarge);
    const { xml } = composed(letter, deliveryAgent, "house");
    const [statement] = texts(xml, "OrganizationStatement");
    expect(statement).toContain("support a ban on landmines");
    expect(statement).not.toContain(letter.letter.ownWords);
    expect(texts(xml, "ConstituentMessage")).toEqual([letter.letter.ownWords]);
    // The House keeps the signature; the Senate asks for name and address only in <Constituent>.
    expect(statement).toContain("12 Church Street");
  });

  it("leaves the signature block out of the Senate's statement, keeping the closing", () => {
    const letter = cwcLetter(klobuchar);
    const statement = organizationStatement(letter, "senate");
    expect(statement).not.toMatch(/Ada Lovelace|12 Church Street|05401/);
    expect(statement.endsWith("Sincerely,")).toBe(true);
    expect(withoutSignature("Dear Senator,\n\nText.\n\nThanks,\nSomeone Else", letter.sender)).toBe(
      "Dear Senator,\n\nText.\n\nThanks,\nSomeone Else",
    );
  });

  it("writes the delivery, the recipient, the phone as NNN-NNN-NNNN, the bills and the stance", () => {
    const { xml, officeCode } = composed(
      cwcLetter(klobuchar),
      deliveryAgent,
      "senate",
      new Date("2026-12-05T03:30:00Z"),
    );
    expect(officeCode).toBe("SMN01");
    expect(texts(xml, "DeliveryDate")).toEqual(["20261204"]); // still the 4th in Washington
    expect(texts(xml, "Phone")).toEqual(["802-555-0142"]);
    expect(texts(xml, "CampaignId")).toEqual(["landmines-2026-pro"]);
    expect(texts(xml, "BillTypeAbbreviation")).toEqual(["hr"]);
    expect(texts(xml, "ProOrCon")).toEqual(["pro"]);
    expect(texts(xml, "LibraryOfCongressTopic")).toEqual([
      "International Affairs",
      "Armed Forces and National Security",
    ]);
  });

  it("derives a DeliveryId of 32 letters and digits that is the same on every attempt", () => {
    const first = composed(cwcLetter(vermontAtLarge, { deliveryId: "clx1" }), deliveryAgent, "house");
    const retry = composed(
      { ...cwcLetter(vermontAtLarge, { deliveryId: "clx1" }), attempt: 4 },
      deliveryAgent,
      "house",
      new Date(Date.now() + 86_400_000),
    );
    expect(first.deliveryId).toMatch(/^[a-zA-Z0-9]{32}$/);
    expect(retry.deliveryId).toBe(first.deliveryId);
    expect(texts(retry.xml, "DeliveryId")).toEqual([first.deliveryId]);
    expect(cwcDeliveryId("clx2")).not.toBe(first.deliveryId);
  });

  it("refuses what CWC would refuse, naming the field, and sends nothing", () => {
    const long = (n: number) => "é".repeat(n);
    const message = composeCwcMessage(
      cwcLetter(klobuchar, {
        sender: { prefix: "Rev.", firstName: long(501), city: "X", zip: "5401", phone: "555-0142" },
        ownWords: "Yes",
        letter: { subject: "Hi" },
        campaign: { cwcTopics: ["Landmines"] },
      }),
      deliveryAgent,
      "senate",
    );
    expect(message.ok).toBe(false);
    const problems = message.ok ? [] : message.problems.map((p) => `${p.field}: ${p.message}`);
    expect(problems).toEqual([
      "prefix: Prefix must be one of Mr., Mrs., Miss, Ms., Dr.",
      "firstName: First name must be at most 500 characters (it has 501)",
      "city: City must be at least 3 characters",
      "zip: ZIP code must be 5 digits, or ZIP+4 as 12345-6789",
      "phone: Phone must be a 10-digit US number, like 802-555-0142",
      "ownWords: Your own words must be at least 6 characters",
      "subject: Subject must be at least 6 characters",
      'cwcTopics: "Landmines" is not one of CWC\'s Library of Congress topics',
    ]);
  });

  it("counts characters as the schema does: an emoji is one", async () => {
    const max = CWC_LENGTHS.lastName.max;
    const emojiName = "😀".repeat(max); // 1000 UTF-16 code units, 500 characters
    const sender = cwcLetter(vermontAtLarge).sender;
    expect(cwcSenderProblems({ ...sender, lastName: emojiName })).toEqual([]);
    const { xml } = composed(cwcLetter(vermontAtLarge, { sender: { lastName: emojiName } }), deliveryAgent, "house");
    expect(await houseSchema.errors(xml)).toEqual([]);
    const over = cwcSenderProblems({ ...sender, lastName: `${emojiName}😀` });
    expect(over.map((p) => p.field)).toEqual(["lastName"]);
  });

  it("asks the House only for some prefix, the Senate for one of its five", () => {
    const sender = { ...cwcLetter(vermontAtLarge).sender, prefix: "Mx." };
    expect(cwcSenderProblems(sender, { chamber: "house" })).toEqual([]);
    expect(cwcSenderProblems(sender, { chamber: "senate" }).map((p) => p.field)).toEqual(["prefix"]);
    expect(cwcSenderProblems({ ...sender, prefix: null }, { chamber: "house" }).map((p) => p.message)).toEqual([
      "Prefix is required",
    ]);
  });

  it("refuses a campaign that supports some bills and opposes others", () => {
    const message = composeCwcMessage(
      cwcLetter(vermontAtLarge, {
        campaign: {
          cwcBills: [
            { congress: 119, type: "hr", number: 1, position: "pro" },
            { congress: 119, type: "s", number: 2, position: "con" },
          ],
        },
      }),
      deliveryAgent,
      "house",
    );
    expect(message.ok ? [] : message.problems.map((p) => p.field)).toEqual(["cwcBills"]);
  });

  it("reads phone numbers the way supporters type them", () => {
    expect(["(802) 555-0142", "802.555.0142", "+1 802 555 0142", "8025550142"].map(cwcPhone)).toEqual(
      Array(4).fill("802-555-0142"),
    );
    expect([cwcPhone("555-0142"), cwcPhone("+44 20 7946 0958"), cwcPhone("call me")]).toEqual([null, null, null]);
  });
});

describe("Washington's clock", () => {
  it("dates a delivery by the Eastern calendar", () => {
    expect(easternDate(new Date("2026-07-01T03:59:00Z"))).toBe("20260630");
    expect(easternDate(new Date("2026-07-01T04:00:00Z"))).toBe("20260701");
  });

  it("knows the Senate's maintenance windows and when they end, in standard and daylight time", () => {
    // Sunday 2026-01-04 01:30 EST → ends 06:00 EST = 11:00Z.
    expect(senateMaintenanceEnd(new Date("2026-01-04T06:30:00Z"))?.toISOString()).toBe("2026-01-04T11:00:00.000Z");
    // Wednesday 2026-07-01 05:10 EDT → ends 07:00 EDT = 11:00Z.
    expect(senateMaintenanceEnd(new Date("2026-07-01T09:10:00Z"))?.toISOString()).toBe("2026-07-01T11:00:00.000Z");
    // The Sunday the clocks go forward (2026-03-08, 02:00 EST → 03:00 EDT): 06:00 EDT = 10:00Z.
    expect(senateMaintenanceEnd(new Date("2026-03-08T06:30:00Z"))?.toISOString()).toBe("2026-03-08T10:00:00.000Z");
    // The Sunday they go back (2026-11-01): 06:00 EST = 11:00Z.
    expect(senateMaintenanceEnd(new Date("2026-11-01T05:30:00Z"))?.toISOString()).toBe("2026-11-01T11:00:00.000Z");
    // Outside: Sunday 06:00 EST exactly, Wednesday 04:59 EDT, a Monday night.
    expect(senateMaintenanceEnd(new Date("2026-01-04T11:00:00Z"))).toBeNull();
    expect(senateMaintenanceEnd(new Date("2026-07-01T08:59:00Z"))).toBeNull();
    expect(senateMaintenanceEnd(new Date("2026-07-07T03:00:00Z"))).toBeNull();
  });
});

describe("CWC configuration", () => {
  const agent = {
    CWC_DELIVERY_AGENT: "Sincerely Test Agent",
    CWC_ACK_EMAIL: "acks@example.org",
    CWC_CONTACT_NAME: "Pat Organizer",
    CWC_CONTACT_EMAIL: "pat@example.org",
    CWC_CONTACT_PHONE: "802-555-0100",
  };

  it("is off without keys, and uses the public addresses by default", () => {
    expect(parseCwcConfig({})).toEqual({ house: null, senate: null, agent: null });
    const config = parseCwcConfig({ CWC_HOUSE_API_KEY: "h", SCWC_API_KEY: "s", ...agent });
    expect(config.house).toEqual({ apiKey: "h", url: "https://cwc.house.gov", testUrl: "https://uat-cwc.house.gov" });
    expect(config.senate).toEqual({ apiKey: "s", url: "https://soapbox.senate.gov" });
    expect(config.agent?.contactPhone).toBe("802-555-0100");
  });

  it("names each missing or malformed delivery agent variable when a key is set", () => {
    expect(() => parseCwcConfig({ SCWC_API_KEY: "s", ...agent, CWC_CONTACT_PHONE: undefined })).toThrow(
      /CWC_CONTACT_PHONE: is required/,
    );
    expect(() =>
      parseCwcConfig({ CWC_HOUSE_API_KEY: "h", ...agent, CWC_ACK_EMAIL: "nope", CWC_CONTACT_NAME: "Pat" }),
    ).toThrow(/CWC_ACK_EMAIL: must be an e-mail address\n\s+CWC_CONTACT_NAME: must be 6 to 500 characters/);
    expect(() => parseCwcConfig({ CWC_HOUSE_API_KEY: "h", ...agent, CWC_HOUSE_URL: "ftp://x" })).toThrow(
      /CWC_HOUSE_URL/,
    );
  });
});
