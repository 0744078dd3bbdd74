// Letters, offices and configuration for the CWC channel tests.
import type { LetterOffice, OutgoingLetter } from "~/delivery/channels/channel";
import type { CwcConfig } from "~/delivery/channels/cwc/config.server";

export const deliveryAgent = {
  name: "Sincerely Test Agent",
  ackEmail: "cwc-acks@sincerely.example.org",
  contactName: "Pat Organizer",
  contactEmail: "pat@sincerely.example.org",
  contactPhone: "802-555-0100",
};

export function cwcConfigFor(
  fakes: { house?: { url: string }; senate?: { url: string } },
  apiKey = "test-key",
): CwcConfig {
  return {
    house: fakes.house ? { apiKey, url: fakes.house.url, testUrl: `${fakes.house.url}/uat` } : null,
    senate: fakes.senate ? { apiKey, url: fakes.senate.url } : null,
    agent: deliveryAgent,
  };
}

export const vermontAtLarge: LetterOffice = {
  key: "B001318",
  chamber: "house",
  title: "Representative",
  fullName: "Becca Balint",
  state: "VT",
  district: 0,
  senateClass: null,
  postalAddress: null,
  email: null,
};

export const klobuchar: LetterOffice = {
  key: "K000367",
  chamber: "senate",
  title: "Senator",
  fullName: "Amy Klobuchar",
  state: "MN",
  district: null,
  senateClass: 1,
  postalAddress: null,
  email: null,
};

const body = (ownWords: string | null, sender: OutgoingLetter["sender"]) =>
  [
    "Dear Representative Balint,",
    `As your constituent in ${sender.city}, I ask you to support a ban on landmines.`,
    ...(ownWords ? [ownWords] : []),
    `Sincerely,\n${sender.firstName} ${sender.lastName}\n${sender.street}\n${sender.city}, ${sender.state} ${sender.zip}`,
  ].join("\n\n");

/** A letter from a Burlington supporter; `overrides` replace parts of it. */
export function cwcLetter(
  office: LetterOffice,
  overrides: {
    deliveryId?: string;
    mode?: "test" | "live";
    ownWords?: string | null;
    sender?: Partial<OutgoingLetter["sender"]>;
    letter?: Partial<OutgoingLetter["letter"]>;
    campaign?: Partial<OutgoingLetter["campaign"]>;
  } = {},
): OutgoingLetter {
  const ownWords = overrides.ownWords === undefined ? "My cousin lost a leg to a mine in 1994." : overrides.ownWords;
  const sender: OutgoingLetter["sender"] = {
    prefix: "Ms.",
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@example.org",
    phone: "(802) 555-0142",
    street: "12 Church Street",
    city: "Burlington",
    state: "VT",
    zip: "05401",
    ...overrides.sender,
  };
  return {
    deliveryId: overrides.deliveryId ?? "delivery-1",
    attempt: 1,
    letter: {
      subject: "Please support the landmine ban",
      bodyText: body(ownWords, sender),
      ownWords,
      createdAt: new Date("2026-12-01T15:00:00Z"),
      ...overrides.letter,
    },
    sender,
    office,
    campaign: {
      id: "campaign-1",
      slug: "landmines",
      mode: overrides.mode ?? "live",
      cwcCampaignId: "landmines-2026-pro",
      cwcTopics: ["International Affairs", "Armed Forces and National Security"],
      cwcBills: [{ congress: 119, type: "hr", number: 1234, position: "pro" }],
      ...overrides.campaign,
    },
  };
}
