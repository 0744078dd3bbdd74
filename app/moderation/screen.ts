// Screening a supporter's own words before their letters go to an office. A match does not
// refuse the signature: the letters wait ("review") until an organizer approves or rejects them,
// because a word list, a link or capitals are only signs of abuse, not proof.
import { ABUSIVE_WORDS } from "./abusive-words";

export interface Screening {
  /** "review" when an organizer should read the words first. */
  moderation: "none" | "review";
  /** Why, in words an organizer reads in the moderation queue; null when nothing was found. */
  reason: string | null;
  /** The stretches of the text that triggered the screening, for highlighting. */
  matches: string[];
}

/** Shouting only counts in texts long enough to shout in: "NATO" or "USA" alone is not. */
export const SHOUTING_MIN_LETTERS = 20;
/** Share of capitals among the letters above which a text reads as shouting. */
export const SHOUTING_RATIO = 0.7;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const wordPattern = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${ABUSIVE_WORDS.map((w) => (w.endsWith("*") ? `${escape(w.slice(0, -1))}[\\p{L}]*` : escape(w))).join("|")})(?![\\p{L}\\p{N}])`,
  "giu",
);

// Offices' mail filters treat links in constituent mail as spam, and links are how abuse
// spreads: http(s) URLs, www. addresses and bare domains with a common top-level domain.
const linkPattern =
  /\b(?:https?:\/\/\S+|www\.\S+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|io|ru|xyz|ly|co|me|biz)(?:\/\S*)?)\b/gi;

/** Eight or more of the same character in a row ("!!!!!!!!", "nooooooooo"). */
const repeatPattern = /(.)\1{7,}/gu;

export function screenOwnWords(message: string | null | undefined): Screening {
  const text = message ?? "";
  const reasons: string[] = [];
  const matches: string[] = [];

  const words = [...text.matchAll(wordPattern)].map((m) => m[0]);
  if (words.length > 0) {
    reasons.push(`abusive language (${[...new Set(words.map((w) => w.toLowerCase()))].join(", ")})`);
    matches.push(...words);
  }
  const links = [...text.matchAll(linkPattern)].map((m) => m[0]);
  if (links.length > 0) {
    reasons.push(`${links.length === 1 ? "a link" : `${links.length} links`} (${links.join(", ")})`);
    matches.push(...links);
  }
  const letters = [...text].filter((c) => /\p{L}/u.test(c));
  const capitals = letters.filter((c) => /\p{Lu}/u.test(c));
  if (letters.length >= SHOUTING_MIN_LETTERS && capitals.length / letters.length > SHOUTING_RATIO) {
    reasons.push("shouting (mostly capital letters)");
  }
  const repeats = [...text.matchAll(repeatPattern)].map((m) => m[0]);
  if (repeats.length > 0) {
    reasons.push("repeated characters");
    matches.push(...repeats);
  }

  if (reasons.length === 0) return { moderation: "none", reason: null, matches: [] };
  const reason = reasons.join("; ");
  return { moderation: "review", reason: reason[0].toUpperCase() + reason.slice(1), matches };
}

/** Splits a text into plain and matched pieces, for showing the matches highlighted. */
export function highlight(text: string, matches: readonly string[]): Array<{ text: string; match: boolean }> {
  const wanted = [...new Set(matches)].filter((m) => m !== "");
  if (wanted.length === 0) return [{ text, match: false }];
  const pattern = new RegExp(`(${wanted.map(escape).join("|")})`, "g");
  return text
    .split(pattern)
    .filter((piece) => piece !== "")
    .map((piece) => ({ text: piece, match: wanted.includes(piece) }));
}
