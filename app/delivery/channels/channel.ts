// What every delivery channel is: e-mail, the House's and the Senate's Communicating with Congress
// services, and print-and-mail. The queue (claim, lease, heartbeat, retries, the attempt log) is the
// same for all of them; a channel only turns one letter into one request to its service and says
// what the answer means for the letter. Channels know nothing of the database.

/** The channels, in the order an office's letters try them (see the routing in README.md). */
export const CHANNELS = ["email", "house-cwc", "senate-cwc", "print"] as const;
export type ChannelName = (typeof CHANNELS)[number];

/** A supporter as the channels need them: who signs the letter, and where they live. */
export interface LetterSender {
  /** Mr., Mrs., Miss, Ms. or Dr.; asked at signing when an office's letter travels through CWC. */
  prefix: string | null;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  street: string;
  city: string;
  /** Two letters, e.g. "VT" (American Samoa is "AS"). */
  state: string;
  /** Five digits, or ZIP+4 as "12345-6789". */
  zip: string;
}

/** The office a letter is addressed to, as the bundled data and the organizers describe it. */
export interface LetterOffice {
  /** The office's key: a member's bioguide id, or "WH" for the White House. */
  key: string;
  /** president | senate | house */
  chamber: string;
  title: string;
  fullName: string;
  /** Two letters, null for the White House. */
  state: string | null;
  /** House: the district (0 for at-large seats, delegates and the resident commissioner). */
  district: number | null;
  /** Senate: the senator's class (1, 2 or 3), from the legislators file. */
  senateClass: number | null;
  /** The office's Washington postal address, lines separated by "\n". */
  postalAddress: string | null;
  email: string | null;
}

/** The campaign settings a channel reads. */
export interface LetterCampaign {
  id: string;
  slug: string;
  /** test: nothing reaches a real office (CWC test endpoints, Lob test keys, the test inbox). */
  mode: "test" | "live";
  /** CWC's campaign id: one per issue and stance. */
  cwcCampaignId: string;
  /** At least one of CWC's Library of Congress topics. */
  cwcTopics: string[];
  cwcBills: Array<{ congress: number; type: string; number: number; position: "pro" | "con" }>;
}

/** One letter to send on one channel. */
export interface OutgoingLetter {
  /** The delivery's id: stable across retries, so every idempotency key is derived from it. */
  deliveryId: string;
  /** 1 on the first try. */
  attempt: number;
  letter: {
    subject: string;
    /** The campaign's composed text for this office (salutation to closing), as plain text. */
    bodyText: string;
    /** The supporter's own words, when they wrote any. */
    ownWords: string | null;
    createdAt: Date;
  };
  sender: LetterSender;
  office: LetterOffice;
  campaign: LetterCampaign;
}

/**
 * What the service's answer means for the letter. The queue acts on it the same way for every
 * channel: sent is recorded (with the service's reference), transient is retried with backoff,
 * permanent fails the letter with its reason, not-taken moves it to the office's next channel,
 * paused puts it back without spending an attempt and pauses the channel (our configuration is
 * wrong: a bad key), waiting puts it back without spending an attempt until `until`.
 */
export type ChannelOutcome =
  | {
      kind: "sent";
      /** The service's answer, for the attempt log (truncated there). */
      response: string;
      /** The service's id for what it accepted (Lob's letter id), when it gives one. */
      reference?: string;
      /** Lob: when the letter is expected at the office. */
      expectedDelivery?: Date;
      /** Where it went, for the attempt log: an e-mail address, an office code, a postal address. */
      recipient: string;
    }
  | { kind: "transient"; reason: string; response?: string; retryAfterMs?: number }
  | { kind: "permanent"; reason: string; response?: string; errors?: string[] }
  | { kind: "not-taken"; reason: string; response?: string }
  | { kind: "paused"; reason: string; response?: string }
  | { kind: "waiting"; reason: string; until: Date };

/** A delivery channel: one letter in, what the service said out. Never throws for a service's answer. */
export interface DeliveryChannel {
  readonly name: ChannelName;
  /** Whether this office can take letters on this channel now (configured, on the service's list). */
  accepts(office: LetterOffice): boolean;
  send(letter: OutgoingLetter, options?: { signal?: AbortSignal }): Promise<ChannelOutcome>;
}
