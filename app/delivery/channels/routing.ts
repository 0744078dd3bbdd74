// Which channel carries a letter to its office, and why: the rule organizers see per office.
//
// In order: an e-mail address an organizer set for the office; the House's Communicating with
// Congress service for House offices on its list; the Senate's for senators on its list;
// print-and-mail to the office's Washington address. A test-mode campaign routes the same way
// (each channel then uses its test service) and, where an office has no channel at all, still
// sends to the campaign's test inbox, so a fresh install shows every letter in its outbox. Nothing
// else: the letter is held with the reason, and goes once a channel becomes available.
import type { ChannelName, LetterOffice } from "./channel";

/** Held letters say this; the dashboard lists them and the hand-delivery packet includes them. */
export const NO_CHANNEL_REASON = "no delivery channel for this office";

export interface RoutingContext {
  /** The campaign's mode: a test campaign may fall back to its test inbox. */
  mode: "test" | "live";
  /** The campaign's test inbox, where test letters without a channel go. */
  testInbox: string | null;
  /** Channels the campaign turned off (campaign editor). */
  channelsOff: readonly ChannelName[];
  /** Channels that refused this letter as "not taken" already (the next one is tried). */
  refusedBy: readonly ChannelName[];
  /** Whether each configured channel takes letters to this office now (configuration, lists, addresses). */
  accepts: (channel: Exclude<ChannelName, "email">, office: LetterOffice) => boolean;
}

export type Route = { channel: ChannelName; why: string } | { channel: null; why: string };

const CHAMBER_CHANNEL: Record<string, Exclude<ChannelName, "email" | "print"> | undefined> = {
  house: "house-cwc",
  senate: "senate-cwc",
};

const WHY: Record<Exclude<ChannelName, "email">, string> = {
  "house-cwc": "the office takes the House's Communicating with Congress messages",
  "senate-cwc": "the office takes the Senate's Communicating with Congress messages",
  print: "printed and mailed to the office's Washington address",
};

export function routeLetter(office: LetterOffice, context: RoutingContext): Route {
  const open = (channel: ChannelName) => !context.channelsOff.includes(channel) && !context.refusedBy.includes(channel);
  if (office.email?.trim() && open("email"))
    return { channel: "email", why: "an organizer set the office's e-mail address" };
  const cwc = CHAMBER_CHANNEL[office.chamber];
  if (cwc && open(cwc) && context.accepts(cwc, office)) return { channel: cwc, why: WHY[cwc] };
  if (open("print") && context.accepts("print", office)) return { channel: "print", why: WHY.print };
  if (context.mode === "test" && context.testInbox?.trim() && open("email")) {
    return { channel: "email", why: "a test campaign's letter without another channel goes to its test inbox" };
  }
  const refused = context.refusedBy.length > 0 ? ` (refused by ${context.refusedBy.join(", ")})` : "";
  return { channel: null, why: `${NO_CHANNEL_REASON}${refused}` };
}
