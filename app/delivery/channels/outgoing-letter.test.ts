import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDeliveryStore } from "~/delivery/queue/store.server";
import { DATABASES, type TestDatabase } from "../../../test/databases";
import { deliveryAgent } from "../../../test/fakes/cwc-letters";
import { SchemaChecker } from "../../../test/fakes/cwc-service";
import { SENATE_CWC_SCHEMA } from "../../../test/fakes/senate-cwc";
import type { LetterForDelivery } from "../message.server";
import type { OutgoingLetter } from "./channel";
import { composeCwcMessage } from "./cwc/message.server";
import { outgoingLetter, parseChannelsOff, parseCwcBills, parseCwcTopics } from "./outgoing-letter";

const context: LetterForDelivery = {
  deliveryId: "d-1",
  attempts: 2,
  lastError: "HTTP 503",
  channel: "senate-cwc",
  route: "the office takes the Senate's Communicating with Congress messages",
  letter: {
    id: "l-1",
    subject: "Please support the landmine ban",
    bodyText: "Dear Senator Sanders,\n\nPlease.\n\nSincerely,\nAda Lovelace",
    bodyHtml: "<p>Dear Senator Sanders,</p>",
    createdAt: new Date("2026-12-01T15:00:00Z"),
  },
  supporter: {
    prefix: "Ms.",
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@example.org",
    phone: " 802-555-0142 ",
    street: "12 Church Street",
    city: "Burlington",
    state: "VT",
    zip: "05401",
    message: "  My cousin lost a leg to a mine in 1994.  ",
    confirmed: true,
    moderation: "none",
    erased: false,
  },
  campaign: {
    id: "c-1",
    slug: "ban-landmines",
    mode: "live",
    testInbox: null,
    cwcCampaignId: null,
    cwcTopics: ["International Affairs"],
    cwcBills: [{ congress: 119, type: "hr", number: 1234, position: "pro" }],
    channelsOff: ["print"],
  },
  office: {
    id: "o-1",
    key: "S000033",
    chamber: "senate",
    title: "Senator",
    fullName: "Bernard Sanders",
    state: "VT",
    district: null,
    senateClass: 1,
    postalAddress: "332 Dirksen Senate Office Building Washington DC 20510",
    email: null,
    active: true,
  },
};

describe("outgoingLetter", () => {
  it("gives a channel the delivery's letter, sender, office and campaign", () => {
    expect(outgoingLetter(context, 3)).toEqual({
      deliveryId: "d-1",
      attempt: 3,
      letter: {
        subject: "Please support the landmine ban",
        bodyText: "Dear Senator Sanders,\n\nPlease.\n\nSincerely,\nAda Lovelace",
        ownWords: "My cousin lost a leg to a mine in 1994.",
        createdAt: new Date("2026-12-01T15:00:00Z"),
      },
      sender: {
        prefix: "Ms.",
        firstName: "Ada",
        lastName: "Lovelace",
        email: "ada@example.org",
        phone: "802-555-0142",
        street: "12 Church Street",
        city: "Burlington",
        state: "VT",
        zip: "05401",
      },
      office: {
        key: "S000033",
        chamber: "senate",
        title: "Senator",
        fullName: "Bernard Sanders",
        state: "VT",
        district: null,
        senateClass: 1,
        postalAddress: "332 Dirksen Senate Office Building Washington DC 20510",
        email: null,
      },
      campaign: {
        id: "c-1",
        slug: "ban-landmines",
        mode: "live",
        // None set: the slug.
        cwcCampaignId: "ban-landmines",
        cwcTopics: ["International Affairs"],
        cwcBills: [{ congress: 119, type: "hr", number: 1234, position: "pro" }],
      },
    } satisfies OutgoingLetter);
  });

  it("treats any campaign that is not live as a test, and the White House as the president's office", () => {
    const letter = outgoingLetter(
      {
        ...context,
        campaign: { ...context.campaign, mode: "draft", cwcCampaignId: " landmines-2026-pro " },
        office: { ...context.office, key: "WH", chamber: "white_house", state: null, senateClass: null },
        supporter: { ...context.supporter, message: "   ", prefix: "", phone: null },
      },
      1,
    );
    expect(letter.campaign).toMatchObject({ mode: "test", cwcCampaignId: "landmines-2026-pro" });
    expect(letter.office.chamber).toBe("president");
    expect(letter.letter.ownWords).toBeNull();
    expect(letter.sender).toMatchObject({ prefix: null, phone: null });
  });

  it("does not share the context's arrays with the letter", () => {
    const letter = outgoingLetter(context, 1);
    letter.campaign.cwcTopics.push("Health");
    letter.campaign.cwcBills[0]!.number = 1;
    expect(context.campaign.cwcTopics).toEqual(["International Affairs"]);
    expect(context.campaign.cwcBills[0]!.number).toBe(1234);
  });
});

describe("the campaign's channel settings as stored", () => {
  it("reads CWC's topics, once each, and leaves out what CWC does not know", () => {
    expect(
      parseCwcTopics('["International Affairs","Armed Forces and National Security","International Affairs"]'),
    ).toEqual(["International Affairs", "Armed Forces and National Security"]);
    expect(parseCwcTopics('["Landmines", 3]')).toEqual([]);
    expect(parseCwcTopics("not json")).toEqual([]);
    expect(parseCwcTopics('{"a":1}')).toEqual([]);
  });

  it("reads bills CWC's schema could take", () => {
    expect(
      parseCwcBills(
        JSON.stringify([
          { congress: 119, type: "s", number: 12, position: "con" },
          { congress: 119, type: "bill", number: 12, position: "pro" },
          { congress: "119", type: "hr", number: 12, position: "pro" },
          { congress: 119, type: "hr", number: 12, position: "maybe" },
        ]),
      ),
    ).toEqual([{ congress: 119, type: "s", number: 12, position: "con" }]);
  });

  it("reads the channels a campaign turned off", () => {
    expect(parseChannelsOff('["print","fax","print","email"]')).toEqual(["print", "email"]);
    expect(parseChannelsOff("[]")).toEqual([]);
  });
});

describe.each(DATABASES)("a delivery's channel context read from $name", ({ open, skip }) => {
  if (skip) return void it.skip("PG_TESTS=off");
  let t: TestDatabase;
  beforeEach(async () => {
    t = await open();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it("has everything the Senate's CWC message needs, and the message passes the Senate's schema", async () => {
    const { db } = t;
    const campaign = await db.campaign.create({
      data: {
        slug: "ban-landmines-cwc",
        title: "Ban landmines",
        summary: "s",
        body: "b",
        template: "landmines-2020",
        status: "live",
        mode: "test",
        testInbox: "inbox@example.org",
        cwcCampaignId: "landmines-2026-pro",
        cwcTopics: JSON.stringify(["Armed Forces and National Security", "International Affairs"]),
        cwcBills: JSON.stringify([{ congress: 119, type: "hr", number: 1234, position: "pro" }]),
        channelsOff: JSON.stringify(["print"]),
      },
    });
    const office = await db.office.create({
      data: {
        key: "S000033",
        chamber: "senate",
        title: "Senator",
        firstName: "Bernard",
        lastName: "Sanders",
        fullName: "Bernard Sanders",
        state: "VT",
        senateClass: 1,
        postalAddress: "332 Dirksen Senate Office Building Washington DC 20510",
      },
    });
    const house = await db.office.create({
      data: {
        key: "B001318",
        chamber: "house",
        title: "Representative",
        lastName: "Balint",
        fullName: "Becca Balint",
        state: "VT",
        district: 0,
      },
    });
    const signature = await db.signature.create({
      data: {
        campaignId: campaign.id,
        prefix: "Dr.",
        firstName: "Ada",
        lastName: "Lovelace",
        email: "ada@example.org",
        phone: "802-555-0142",
        street: "12 Church Street",
        city: "Burlington",
        state: "VT",
        zip: "05401",
        points: "[]",
        message: "My cousin lost a leg to a mine in 1994.",
        status: "confirmed",
        confirmedAt: new Date(),
      },
    });
    const letterCreatedAt = new Date("2026-12-01T15:00:00.123Z");
    const letters = await Promise.all(
      [office, house].map((o) =>
        db.letter.create({
          data: {
            signatureId: signature.id,
            officeId: o.id,
            subject: "Please support the landmine ban",
            salutation: `Dear ${o.title} ${o.lastName},`,
            bodyText: `Dear ${o.title} ${o.lastName},\n\nPlease ban landmines.\n\nMy cousin lost a leg to a mine in 1994.\n\nSincerely,\nAda Lovelace`,
            bodyHtml: "<p>…</p>",
            createdAt: letterCreatedAt,
          },
        }),
      ),
    );
    const store = createDeliveryStore(db);
    await store.enqueueForLetters(letters.map((l) => l.id));
    const deliveries = await db.delivery.findMany({ include: { letter: true } });
    const senateDelivery = deliveries.find((d) => d.letter.officeId === office.id)!;
    await db.delivery.update({
      where: { id: senateDelivery.id },
      data: { channel: "senate-cwc", route: "the office takes the Senate's Communicating with Congress messages" },
    });

    const batch = await store.loadManyForSending(deliveries.map((d) => d.id));
    const senate = batch.get(senateDelivery.id)!;
    expect(senate).toMatchObject({
      channel: "senate-cwc",
      route: "the office takes the Senate's Communicating with Congress messages",
      letter: { createdAt: letterCreatedAt },
      supporter: {
        prefix: "Dr.",
        phone: "802-555-0142",
        street: "12 Church Street",
        city: "Burlington",
        state: "VT",
        zip: "05401",
        message: "My cousin lost a leg to a mine in 1994.",
      },
      campaign: {
        slug: "ban-landmines-cwc",
        cwcCampaignId: "landmines-2026-pro",
        cwcTopics: ["Armed Forces and National Security", "International Affairs"],
        cwcBills: [{ congress: 119, type: "hr", number: 1234, position: "pro" }],
        channelsOff: ["print"],
      },
      office: {
        key: "S000033",
        state: "VT",
        district: null,
        senateClass: 1,
        postalAddress: "332 Dirksen Senate Office Building Washington DC 20510",
      },
    });
    const houseContext = [...batch.values()].find((c) => c.office.key === "B001318")!;
    expect(houseContext).toMatchObject({ channel: "email", route: null, office: { district: 0, senateClass: null } });

    const message = composeCwcMessage(outgoingLetter(senate, senate.attempts + 1), deliveryAgent, "senate");
    if (!message.ok) throw new Error(message.problems.map((p) => p.message).join("; "));
    expect(message.xml).toContain("<MemberOffice>SVT01</MemberOffice>");
    expect(message.xml).toContain("<CampaignId>landmines-2026-pro</CampaignId>");
    expect(await new SchemaChecker(SENATE_CWC_SCHEMA).errorsOfAll([message.xml])).toEqual([[]]);
  });
});
