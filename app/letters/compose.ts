// Composes one supporter's letter to one office from a campaign's letter content.
//
// Pure and deterministic: the same input gives the same letter in the browser preview
// and at signing, so the supporter sees exactly what is sent. Variety comes from `seed`
// (callers pass something unique per supporter and office), because offices discount
// identical mass letters; two supporters writing to the same office get different
// subjects, openings, fact wording, point order and closings.

import { getLetterTemplate } from "./campaigns";
import type { LetterContent, OfficeKind, Phrase, PhraseContext } from "./campaigns/types";
import { fillPhrase } from "./content";
import { letterStateName } from "./states";

export interface LetterOffice {
  /** "other": an extra office a campaign names (an agency, a committee). */
  chamber: "white_house" | "senate" | "house" | "other";
  /** "President", "Senator", "Representative", "Delegate", "Resident Commissioner", or an extra office's title. */
  title: string;
  firstName: string | null;
  lastName: string;
  fullName: string;
  state: string | null;
  district: number | null;
}

export interface LetterSupporter {
  firstName: string;
  lastName: string;
  street: string;
  city: string;
  /** Postal abbreviation ("WA"). */
  state: string;
  zip: string;
  message?: string | null;
}

/**
 * A composed letter. Reading order: salutation, paragraphs, ownWords (if any), closing,
 * signature. `paragraphs` never contains the supporter's own words, so a page can show
 * those apart; `text` is the whole letter as the office reads it.
 */
export interface ComposedLetter {
  subject: string;
  salutation: string;
  paragraphs: string[];
  /** The supporter's message, trimmed, otherwise exactly as typed; null when none. */
  ownWords: string | null;
  closing: string;
  /** Full name, street, "City, ST 12345". */
  signature: string[];
  /** The full plain-text letter. */
  text: string;
}

export interface ComposeLetterInput {
  /** A shipped template's key, or the content itself (a campaign's edited content, or a preview's). */
  template: string | LetterContent;
  office: LetterOffice;
  supporter: LetterSupporter;
  /** Keys of the template's points the supporter chose; may be empty. */
  points: string[];
  /** Varies the wording; e.g. the signature id plus the office key. */
  seed: string;
}

export function composeLetter(input: ComposeLetterInput): ComposedLetter {
  const template = typeof input.template === "string" ? getLetterTemplate(input.template) : input.template;
  const { office, supporter } = input;
  const kind = officeKind(office);
  const chosen = chosenPoints(template, input.points);

  const city = supporter.city.trim();
  const fullStateName = letterStateName(supporter.state);
  const context: PhraseContext = {
    place: `${city}, ${fullStateName}`,
    city,
    stateName: fullStateName,
    kind,
  };
  const say = (phrase: Phrase) => fillPhrase(phrase, context);

  // One random stream per decision: toggling a point in the preview then changes only
  // the paragraphs about points, not the subject or the opening the supporter just read.
  // The office is mixed in so that a supporter's two senators get different letters even
  // when the caller passes one seed for the whole signature.
  const random = (decision: string) =>
    seededRandom(`${input.seed}\u0000${office.chamber}\u0000${office.fullName}\u0000${decision}`);

  const paragraphs: string[] = [say(pick(template.openings[kind], random("opening")))];
  paragraphs.push(backgroundParagraph(template, random("background")));

  // Shuffle all points, then keep the chosen ones, so their relative order is stable
  // whatever else is ticked.
  const order = shuffle(
    template.points.map((point) => point.key),
    random("point-order"),
  ).filter((key) => chosen.has(key));
  for (const key of order) {
    const rng = random(`point:${key}`);
    const ask = say(pick(template.asks[key][kind], rng));
    const facts = template.facts.filter((fact) => fact.point === key).map((fact) => pick(fact.variants, rng));
    paragraphs.push((rng() < 0.5 ? [...facts, ask] : [ask, ...facts]).join(" "));
  }
  if (order.length === 0) paragraphs.push(say(pick(template.coreAsks[kind], random("core-ask"))));

  paragraphs.push(say(pick(template.closingParagraphs[kind], random("closing-paragraph"))));

  const ownWords = normaliseOwnWords(supporter.message);
  const closing = pick(template.signOffs, random("sign-off"));
  const signature = [
    `${supporter.firstName.trim()} ${supporter.lastName.trim()}`,
    supporter.street.trim(),
    `${city}, ${supporter.state.trim().toUpperCase()} ${supporter.zip.trim()}`,
  ];
  const salutation = salutationFor(office);

  const blocks = [salutation, ...paragraphs, ...(ownWords ? [ownWords] : []), [closing, ...signature].join("\n")];

  return {
    subject: say(pick(template.subjects[kind], random("subject"))),
    salutation,
    paragraphs,
    ownWords,
    closing,
    signature,
    text: blocks.join("\n\n"),
  };
}

export function officeKind(office: Pick<LetterOffice, "chamber">): OfficeKind {
  switch (office.chamber) {
    // An extra office (an agency, say) belongs to the executive: it reads the White House wording.
    case "other":
    case "white_house":
      return "president";
    case "senate":
      return "senator";
    case "house":
      return "house";
  }
}

/** "Dear Mr. President,", "Dear Senator Cantwell,", "Dear Resident Commissioner Hernández,". */
export function salutationFor(office: Pick<LetterOffice, "chamber" | "title" | "lastName">): string {
  if (office.chamber === "white_house") return "Dear Mr. President,";
  return `Dear ${office.title} ${office.lastName.trim()},`;
}

function chosenPoints(template: LetterContent, keys: string[]): Set<string> {
  const known = new Set(template.points.map((point) => point.key));
  const unknown = keys.filter((key) => !known.has(key));
  if (unknown.length > 0) {
    // A stale or forged form value; better to refuse than to silently drop what the
    // supporter believes they asked for.
    throw new Error(
      `Unknown point(s) ${unknown.map((key) => `"${key}"`).join(", ")} for this campaign's letter. ` +
        `Known points: ${[...known].join(", ")}.`,
    );
  }
  return new Set(keys);
}

/** Two or three background facts (those tied to no point), in random order and wording. */
function backgroundParagraph(template: LetterContent, rng: () => number): string {
  const background = shuffle(
    template.facts.filter((fact) => fact.point === undefined),
    rng,
  );
  const count = Math.min(background.length, rng() < 0.5 ? 2 : 3);
  const sentences = background.slice(0, count).map((fact) => pick(fact.variants, rng));
  const leadIn = pick(template.factLeadIns, rng);
  return [leadIn, ...sentences].filter((sentence) => sentence !== "").join(" ");
}

/** Form fields arrive with CRLF line breaks; the letter keeps the line breaks, not the CRs. */
function normaliseOwnWords(message: string | null | undefined): string | null {
  const trimmed = (message ?? "").replace(/\r\n?/g, "\n").trim();
  return trimmed === "" ? null : trimmed;
}

function pick<T>(options: readonly T[], rng: () => number): T {
  if (options.length === 0) throw new Error("A letter template has an empty list of variants.");
  return options[Math.floor(rng() * options.length)];
}

/** Fisher–Yates on a copy. */
function shuffle<T>(items: readonly T[], rng: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/**
 * A small seeded generator: a 32-bit FNV-1a hash of the seed starts a mulberry32
 * sequence. Not for anything secret; it only has to spread wording choices evenly and
 * give the same choices for the same seed on every machine.
 */
function seededRandom(seed: string): () => number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  let state = hash >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
