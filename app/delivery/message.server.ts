// Who a letter goes to, and the e-mail that carries it.
import type { SendMailOptions } from "nodemailer";
import { officeName } from "~/offices/office-label";
import type { ChannelName, LetterCampaign } from "./channels/channel";

/** Everything needed to send one delivery, loaded in one query by the store. */
export interface LetterForDelivery {
  deliveryId: string;
  attempts: number;
  lastError: string | null;
  /** The channel this delivery goes by: email, house-cwc, senate-cwc or print (CHANNELS). */
  channel: string;
  /** Why this channel (the routing rule's reason, the "not taken" refusals so far), once routed. */
  route: string | null;
  letter: { id: string; subject: string; bodyText: string; bodyHtml: string; createdAt: Date };
  supporter: {
    /** Mr., Mrs., Miss, Ms. or Dr., when asked. */
    prefix: string | null;
    firstName: string;
    lastName: string;
    email: string;
    phone: string | null;
    street: string;
    city: string;
    state: string;
    zip: string;
    /** The supporter's own words, when they wrote any. */
    message: string | null;
    confirmed: boolean;
    /** none | review | approved | rejected (see app/moderation/) */
    moderation?: string;
    /** The supporter had their data erased (see app/privacy/): their letters never go. */
    erased?: boolean;
  };
  campaign: {
    id: string;
    slug: string;
    mode: string;
    testInbox: string | null;
    /** Null: the slug is the CWC campaign id. */
    cwcCampaignId: string | null;
    cwcTopics: string[];
    cwcBills: LetterCampaign["cwcBills"];
    channelsOff: ChannelName[];
  };
  office: {
    id: string;
    /** A member's bioguide id, or "WH". */
    key: string;
    chamber: string;
    title: string;
    fullName: string;
    state: string | null;
    district: number | null;
    senateClass: number | null;
    postalAddress: string | null;
    email: string | null;
    active: boolean;
  };
}

export type RecipientChoice =
  | { kind: "send"; to: string; via: "redirect" | "test-inbox" | "office" }
  | { kind: "hold"; reason: string }
  | { kind: "cancel"; reason: string };

/**
 * Whether a letter may go at all, whatever its channel: never when its writer erased their data or
 * an organizer rejected their words; not yet while the words await moderation.
 */
export function letterGate(input: {
  moderation?: string;
  erased?: boolean;
}): Extract<RecipientChoice, { kind: "hold" | "cancel" }> | null {
  if (input.erased) return { kind: "cancel", reason: ERASED_REASON };
  if (input.moderation === "rejected") return { kind: "cancel", reason: REJECTED_REASON };
  if (input.moderation === "review") return { kind: "hold", reason: AWAITING_MODERATION_REASON };
  return null;
}

/**
 * Where this letter goes, or why it waits.
 *
 * MAIL_REDIRECT_TO always wins (a staging install must never reach a real office); a campaign in
 * test mode sends to its test inbox; only a live campaign writes to the office itself.
 */
export function chooseRecipient(input: {
  campaign: Pick<LetterForDelivery["campaign"], "mode" | "testInbox">;
  office: Pick<LetterForDelivery["office"], "chamber" | "title" | "fullName" | "email" | "active">;
  redirectTo?: string | null;
  /** The signature's moderation state: words in review wait, rejected words never go, not even to a test inbox. */
  moderation?: string;
  /** Erased at the supporter's request: the letter never goes (it was in flight when they asked). */
  erased?: boolean;
}): RecipientChoice {
  const { campaign, office } = input;
  const gate = letterGate(input);
  if (gate) return gate;
  const redirectTo = input.redirectTo?.trim();
  if (redirectTo) return { kind: "send", to: redirectTo, via: "redirect" };

  if (campaign.mode !== "live") {
    const inbox = campaign.testInbox?.trim();
    if (inbox) return { kind: "send", to: inbox, via: "test-inbox" };
    return {
      kind: "hold",
      reason:
        "The campaign is in test mode but has no test inbox; the letter waits until an organizer sets one or makes the campaign live.",
    };
  }

  if (!office.active) {
    return {
      kind: "hold",
      reason: `${officeName(office)} is inactive; the letter waits until an organizer reactivates it.`,
    };
  }
  const email = office.email?.trim();
  if (!email) {
    return {
      kind: "hold",
      reason: `${officeName(office)} has no e-mail address yet; the letter waits until an organizer adds one.`,
    };
  }
  return { kind: "send", to: email, via: "office" };
}

export const AWAITING_MODERATION_REASON =
  "Awaiting moderation: the supporter's own words are held for an organizer to approve or reject.";
export const ERASED_REASON = "Cancelled: the writer asked for their data to be erased";

export const REJECTED_REASON = "An organizer rejected the supporter's own words in moderation; the letter is not sent.";

export const UNCONFIRMED_REASON =
  "The supporter has not confirmed their e-mail address yet; letters go only after confirmation.";

/** The domain part of an address such as `"Sincerely <letters@example.org>"`. */
export function mailDomain(mailFrom: string): string {
  const match = /@([^\s>@]+)>?\s*$/.exec(mailFrom.trim());
  if (!match) throw new Error(`MAIL_FROM has no domain: ${mailFrom}`);
  return match[1].toLowerCase();
}

/**
 * The Message-ID of a delivery. The same on every attempt, so a receiver that got a letter
 * twice (we crashed after the server accepted it, before we recorded that) can drop the copy.
 */
export function deliveryMessageId(deliveryId: string, mailFrom: string): string {
  return `<delivery.${deliveryId}@${mailDomain(mailFrom)}>`;
}

export function buildLetterMessage(
  delivery: {
    deliveryId: string;
    letter: Pick<LetterForDelivery["letter"], "id" | "subject" | "bodyText" | "bodyHtml">;
    supporter: Pick<LetterForDelivery["supporter"], "firstName" | "lastName" | "email" | "confirmed">;
  },
  options: { mailFrom: string; to: string },
): SendMailOptions & { messageId: string } {
  const { letter, supporter } = delivery;
  return {
    from: options.mailFrom,
    // Offices answer the constituent, not the platform.
    replyTo: {
      name: `${supporter.firstName} ${supporter.lastName}`.trim(),
      address: supporter.email,
    },
    to: options.to,
    subject: letter.subject,
    text: letter.bodyText,
    html: letter.bodyHtml,
    messageId: deliveryMessageId(delivery.deliveryId, options.mailFrom),
    headers: { "X-Sincerely-Delivery": delivery.deliveryId },
  };
}
