// The shape every campaign's letter content takes. A campaign's text is data, not a
// fixed letter: compose.ts picks among the variants so that no two supporters send
// the same words, which offices would otherwise discount as a mass mailing.

/** Who the letter is for, as far as the wording of the ask goes. */
export type OfficeKind = "president" | "senator" | "house";

/** What a phrase may refer to. Kept small so campaign prose stays readable. */
export interface PhraseContext {
  /** "Seattle, Washington" */
  place: string;
  /** "Seattle" */
  city: string;
  /** "Washington" (full name where known, else what the supporter typed) */
  stateName: string;
  kind: OfficeKind;
}

/**
 * A piece of text, with placeholders filled in from the context: `{place}` ("Seattle,
 * Washington"), `{city}`, `{state}` (the state's name). Plain strings, so that organizers can
 * edit a campaign's content and it can be stored as JSON (Campaign.content).
 */
export type Phrase = string;

/** One of the campaign's recommendations, as the supporter sees it on the form. */
export interface LetterPoint {
  key: string;
  /** Short checkbox label. */
  label: string;
  /** One or two sentences under the label. */
  summary: string;
}

/**
 * A fact from the campaign's source, phrased several ways. `point` ties the fact to a
 * recommendation: such a fact only appears when the supporter chose that point, so a
 * letter never argues for something its signer left unticked.
 */
export interface LetterFact {
  key: string;
  point?: string;
  variants: string[];
}

/** What a letter is composed from: a shipped template's, or a campaign's as organizers edited it. */
export interface LetterContent {
  points: LetterPoint[];
  facts: LetterFact[];
  /** Optional sentences that lead into the background facts ("" = no lead-in). */
  factLeadIns: string[];
  subjects: Record<OfficeKind, Phrase[]>;
  /** Opening paragraphs; each says where the supporter lives. */
  openings: Record<OfficeKind, Phrase[]>;
  /** Per point key, per office kind: paragraph variants carrying that office's ask. */
  asks: Record<string, Record<OfficeKind, Phrase[]>>;
  /** Used instead of the point paragraphs when the supporter chose no point. */
  coreAsks: Record<OfficeKind, Phrase[]>;
  /** Last paragraph before the supporter's own words. */
  closingParagraphs: Record<OfficeKind, Phrase[]>;
  /** "Sincerely," and its kin. */
  signOffs: string[];
}

/** Letter content as shipped in code, with what a new campaign takes from it. */
export interface LetterTemplate extends LetterContent {
  key: string;
  title: string;
  /** One line, for lists of campaigns. */
  summary: string;
  /** The case in brief for the campaign page: plain text, paragraphs separated by a blank line. */
  caseSummary: string;
}
