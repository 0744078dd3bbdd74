import { describe, expect, it } from "vitest";
import { buildLetterMessage, chooseRecipient, deliveryMessageId, type LetterForDelivery } from "./message.server";

const office: LetterForDelivery["office"] = {
  id: "o1",
  key: "C000127",
  state: "WA",
  district: null,
  senateClass: 1,
  postalAddress: null,
  chamber: "senate",
  title: "Senator",
  fullName: "Maria Cantwell",
  email: "letters@cantwell.example.gov",
  active: true,
};
const live = { id: "c1", mode: "live", testInbox: null };
const test = {
  id: "c1",
  mode: "test",
  testInbox: "organizers@coalition.example",
};

describe("chooseRecipient", () => {
  it("sends a live campaign's letter to the office", () => {
    expect(chooseRecipient({ campaign: live, office })).toEqual({
      kind: "send",
      to: office.email,
      via: "office",
    });
  });

  it("sends a test campaign's letter to its test inbox, never to the office", () => {
    expect(chooseRecipient({ campaign: test, office })).toMatchObject({
      kind: "send",
      to: "organizers@coalition.example",
    });
  });

  it("holds a test campaign's letter when it has no test inbox", () => {
    const choice = chooseRecipient({
      campaign: { ...test, testInbox: " " },
      office,
    });
    expect(choice.kind).toBe("hold");
  });

  it("lets MAIL_REDIRECT_TO win over everything", () => {
    for (const campaign of [live, test, { ...test, testInbox: null }]) {
      expect(
        chooseRecipient({
          campaign,
          office: { ...office, email: null },
          redirectTo: "staging@coalition.example",
        }),
      ).toEqual({
        kind: "send",
        to: "staging@coalition.example",
        via: "redirect",
      });
    }
  });

  it("holds a live letter to an office without an e-mail address, saying why", () => {
    expect(chooseRecipient({ campaign: live, office: { ...office, email: null } })).toEqual({
      kind: "hold",
      reason:
        "The office of Senator Maria Cantwell has no e-mail address yet; the letter waits until an organizer adds one.",
    });
  });

  it("holds a live letter to an inactive office", () => {
    const choice = chooseRecipient({
      campaign: live,
      office: { ...office, active: false },
    });
    expect(choice).toMatchObject({ kind: "hold" });
    expect(choice.kind === "hold" && choice.reason).toContain("Senator Maria Cantwell is inactive");
  });
});

describe("buildLetterMessage", () => {
  const message = buildLetterMessage(
    {
      deliveryId: "dlv123",
      letter: {
        id: "l1",
        subject: "Ban landmines",
        bodyText: "Dear Senator Cantwell,",
        bodyHtml: "<p>Dear Senator Cantwell,</p>",
      },
      supporter: {
        firstName: "Ada",
        lastName: "Lovelace",
        email: "ada@supporters.example",
        confirmed: true,
      },
    },
    {
      mailFrom: "Sincerely <letters@Coalition.example>",
      to: "letters@cantwell.example.gov",
    },
  );

  it("comes from the platform, answers to the supporter and goes to the chosen recipient", () => {
    expect(message).toMatchObject({
      from: "Sincerely <letters@Coalition.example>",
      replyTo: { name: "Ada Lovelace", address: "ada@supporters.example" },
      to: "letters@cantwell.example.gov",
      subject: "Ban landmines",
      text: "Dear Senator Cantwell,",
      html: "<p>Dear Senator Cantwell,</p>",
      headers: { "X-Sincerely-Delivery": "dlv123" },
    });
  });

  it("has a Message-ID derived from the delivery, the same on every attempt", () => {
    expect(message.messageId).toBe("<delivery.dlv123@coalition.example>");
    expect(deliveryMessageId("dlv123", "letters@coalition.example")).toBe(message.messageId);
  });
});
