// The letter as Lob prints it: one HTML file, US letter, black on white. Lob prints the envelope's
// addresses itself at the top of the first page (address_placement "top_first_page"), where the
// double-window envelope shows them, so the first page starts with a blank band; below it the
// letter reads like one typed by hand: the date, the office's address, the letter, the signature.
//
// Everything a supporter or an organizer wrote goes through `markup`, which escapes every value it
// is given: there is no other way to put text into the file. Lob takes at most 10,000 characters
// of HTML, so the markup is kept small and the length is checked before anything is sent.

/** Lob's limit on an HTML string given as `file`. */
export const LOB_FILE_MAX_CHARS = 10_000;

/** Markup made by `markup`; text becomes markup only by being escaped. */
export class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Value = string | number | Markup | readonly Markup[];

/**
 * Escapes text for HTML element content and double-quoted attribute values (the only places this
 * file's templates put text; single-quoted and unquoted attributes are never used). Quotes are
 * escaped only where they could end an attribute: `"`. Apostrophes need nothing.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;"));
}

/** A template whose every interpolated value is escaped, unless it is already Markup. */
export function markup(strings: TemplateStringsArray, ...values: Value[]): Markup {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return new Markup(out);
}

function render(value: Value): string {
  if (value instanceof Markup) return value.value;
  if (Array.isArray(value)) return value.map((v: Markup) => v.value).join("");
  return escapeHtml(String(value));
}

/** What the printed page shows. */
export interface PrintedLetter {
  /** When the supporter signed: the same on every retry, so the file (and Lob's letter) never changes. */
  date: Date;
  /** The office's address block, line by line ("Hon. Maria Cantwell", "United States Senate", …). */
  recipientLines: string[];
  /** The letter's text as composed: salutation to closing, perhaps with the signature lines. */
  bodyText: string;
  /** The supporter's own words; printed unless bodyText already holds them. */
  ownWords: string | null;
  sender: { firstName: string; lastName: string; street: string; city: string; state: string; zip: string };
}

// Lob's own example letter leaves the top 3 inches to the address it prints; the page margin is
// 0.75 in, so the band below it is 2.25 in. Georgia/Times at 12 pt reads well on paper.
const STYLE =
  "@page{size:8.5in 11in;margin:.75in 1in}" +
  "body{margin:0;font:12pt/1.45 Georgia,'Times New Roman',serif;color:#000}" +
  ".window{height:2.25in}" +
  "p{margin:0 0 1em;white-space:pre-wrap}" +
  ".to{margin-bottom:1.5em}" +
  ".sig{margin-top:1.5em;break-inside:avoid}";

export function renderLetterHtml(letter: PrintedLetter): string {
  const { blocks, signature } = letterBlocks(letter);
  const sender = letter.sender;
  const signatureLines = signature ?? [
    `${sender.firstName.trim()} ${sender.lastName.trim()}`,
    sender.street.trim(),
    `${sender.city.trim()}, ${sender.state.trim().toUpperCase()} ${sender.zip.trim()}`,
  ];
  const closing = signature ? null : closingOf(blocks);
  const body = closing ? blocks.slice(0, -1) : blocks;

  // One line on purpose: every character counts against Lob's limit.
  const page = markup`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>${new Markup(STYLE)}</style></head><body><div class="window"></div><p>${formatLetterDate(letter.date)}</p><p class="to">${lines(letter.recipientLines)}</p>${body.map((block) => markup`<p dir="auto">${block}</p>`)}<div class="sig">${closing ? markup`<p dir="auto">${closing}</p>` : ""}<p>${lines(signatureLines)}</p></div></body></html>`;
  return page.value;
}

/** Lines inside one paragraph: each isolated, so a right-to-left name cannot reorder its neighbours. */
function lines(items: string[]): Markup[] {
  return items.map((line, i) => markup`${i > 0 ? new Markup("<br>") : ""}<bdi>${line}</bdi>`);
}

/** "December 4, 2026", in Washington's time zone, whatever the server's. */
export function formatLetterDate(date: Date): string {
  return new Intl.DateTimeFormat("en-US", {
    timeZone: "America/New_York",
    year: "numeric",
    month: "long",
    day: "numeric",
  }).format(date);
}

/**
 * The letter's paragraphs, and its signature when the composed text already ends with one.
 *
 * The stored letter (app/letters/compose.ts) is the whole text the supporter saw: salutation,
 * paragraphs, their own words, then the closing with their name and address under it. A caller
 * may also pass the text without the own words or the signature; then the own words go before the
 * closing and the signature is made from the sender. Either way nothing is printed twice.
 */
export function letterBlocks(letter: Pick<PrintedLetter, "bodyText" | "ownWords" | "sender">): {
  blocks: string[];
  /** The closing and the lines under it, when the text ends with the sender's signature. */
  signature: string[] | null;
} {
  const text = normalise(letter.bodyText);
  const blocks = text.split(/\n{2,}/).filter((b) => b.trim() !== "");
  const ownWords = letter.ownWords ? normalise(letter.ownWords) : "";
  if (ownWords !== "" && !text.includes(ownWords)) {
    const at = closingOf(blocks) ? blocks.length - 1 : blocks.length;
    blocks.splice(at, 0, ...ownWords.split(/\n{2,}/).filter((b) => b.trim() !== ""));
  }

  const name = `${letter.sender.firstName.trim()} ${letter.sender.lastName.trim()}`;
  const last = blocks.at(-1)?.split("\n") ?? [];
  if (last.length >= 2 && last[1].trim() === name) {
    blocks.pop();
    return { blocks, signature: last };
  }
  return { blocks, signature: null };
}

/** The last block when it is a closing ("Sincerely,"): one short line ending with a comma. */
function closingOf(blocks: string[]): string | null {
  const last = blocks.at(-1);
  return last !== undefined && !last.includes("\n") && last.length <= 60 && /,\s*$/.test(last) ? last : null;
}

function normalise(text: string): string {
  return text.replace(/\r\n?/g, "\n").trim();
}
