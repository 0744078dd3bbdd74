// From what the queue loads for a delivery (LetterForDelivery, one join per batch) to what a
// channel sends (OutgoingLetter), and the campaign's channel settings as the database keeps them
// (JSON text) read into their types. Pure: no database, no service.
import type { LetterForDelivery } from "../message.server";
import { CHANNELS, type ChannelName, type LetterCampaign, type LetterOffice, type OutgoingLetter } from "./channel";
import { CWC_BILL_TYPES, CWC_TOPICS } from "./cwc/limits";

type CwcBill = LetterCampaign["cwcBills"][number];

/** A JSON array stored as text, or [] when the text is not one (a hand-edited row, say). */
function jsonArray(text: string | null | undefined): unknown[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

/**
 * Campaign.cwcTopics: the Library of Congress topics CWC knows, in the campaign's order, once
 * each. Others are left out here; CWC's schema check before sending names a campaign with none.
 */
export function parseCwcTopics(text: string | null | undefined): string[] {
  const known = new Set<string>(CWC_TOPICS);
  return [...new Set(jsonArray(text).filter((t): t is string => typeof t === "string" && known.has(t)))];
}

/** Campaign.cwcBills: each { congress, type, number, position } that CWC's schema could take. */
export function parseCwcBills(text: string | null | undefined): CwcBill[] {
  return jsonArray(text).flatMap((item): CwcBill[] => {
    if (!item || typeof item !== "object") return [];
    const { congress, type, number, position } = item as Record<string, unknown>;
    if (!Number.isInteger(congress) || (congress as number) < 1) return [];
    if (typeof type !== "string" || !CWC_BILL_TYPES.includes(type)) return [];
    if (!Number.isInteger(number) || (number as number) < 1) return [];
    if (position !== "pro" && position !== "con") return [];
    return [{ congress: congress as number, type, number: number as number, position }];
  });
}

/** Campaign.channelsOff: the channels the campaign turned off (unknown names are ignored). */
export function parseChannelsOff(text: string | null | undefined): ChannelName[] {
  const known = new Set<string>(CHANNELS);
  return [...new Set(jsonArray(text).filter((c): c is ChannelName => typeof c === "string" && known.has(c)))];
}

/** The channels' word for an office's chamber: the data model's "white_house" is "president". */
export function letterOffice(office: Omit<LetterForDelivery["office"], "id" | "active">): LetterOffice {
  return {
    key: office.key,
    chamber: office.chamber === "white_house" ? "president" : office.chamber,
    title: office.title,
    fullName: office.fullName,
    state: office.state,
    district: office.district,
    senateClass: office.senateClass,
    postalAddress: office.postalAddress,
    email: office.email,
  };
}

/**
 * One delivery as its channel sends it. `attempt` is the number of this try (1 on the first).
 * A campaign that is not live is a test campaign: nothing reaches a real office.
 */
export function outgoingLetter(context: LetterForDelivery, attempt: number): OutgoingLetter {
  const { letter, supporter, campaign } = context;
  const ownWords = supporter.message?.trim() ? supporter.message.trim() : null;
  return {
    deliveryId: context.deliveryId,
    attempt,
    letter: { subject: letter.subject, bodyText: letter.bodyText, ownWords, createdAt: letter.createdAt },
    sender: {
      prefix: supporter.prefix?.trim() || null,
      firstName: supporter.firstName,
      lastName: supporter.lastName,
      email: supporter.email,
      phone: supporter.phone?.trim() || null,
      street: supporter.street,
      city: supporter.city,
      state: supporter.state,
      zip: supporter.zip,
    },
    office: letterOffice(context.office),
    campaign: {
      id: campaign.id,
      slug: campaign.slug,
      mode: campaign.mode === "live" ? "live" : "test",
      cwcCampaignId: campaign.cwcCampaignId?.trim() || campaign.slug,
      cwcTopics: [...campaign.cwcTopics],
      cwcBills: campaign.cwcBills.map((bill) => ({ ...bill })),
    },
  };
}
