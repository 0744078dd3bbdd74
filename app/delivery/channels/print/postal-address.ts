// Turns an office's postal address, as the bundled data and organizers write it, into the fields
// Lob's letters API asks for. The legislators file writes one line without commas ("511 Hart Senate
// Office Building Washington DC 20510"); the White House file uses commas ("The White House, 1600
// Pennsylvania Avenue NW, Washington, DC 20500"); an organizer may type lines. When the address
// cannot be read with confidence the answer is a reason, never a guess: a letter printed to a
// wrong address is a letter lost.
import { US_STATES } from "~/offices/states";

/** Lob's US address fields (the names are Lob's). */
export interface LobUsAddress {
  address_line1: string;
  address_line2?: string;
  address_city: string;
  address_state: string;
  address_zip: string;
}

/** Lob's limits on address fields (its OpenAPI description of an address). */
export const LOB_LIMITS = { name: 40, company: 40, line: 64 } as const;

export type OfficeAddress =
  | {
      ok: true;
      /** A leading line naming the place rather than a street ("The White House"). */
      company: string | null;
      address: LobUsAddress;
    }
  | { ok: false; reason: string };

const STATE_CODES = new Set(US_STATES.map((s) => s.code));
const ZIP = /^\d{5}(?:-\d{4})?$/;
/** Letters, spaces, dots, apostrophes and hyphens, beginning with a letter: "Washington", "St. Paul". */
const CITY = /^\p{L}[\p{L} .'-]*$/u;

// Words that end the street part of a one-line address; what follows them is the city. The
// legislators file's addresses all end their street part with "Building".
const STREET_ENDINGS = new Set(
  [
    "building",
    "bldg",
    "street",
    "st",
    "avenue",
    "ave",
    "road",
    "rd",
    "boulevard",
    "blvd",
    "drive",
    "dr",
    "lane",
    "ln",
    "way",
    "place",
    "pl",
    "court",
    "ct",
    "plaza",
    "square",
    "sq",
    "highway",
    "hwy",
    "parkway",
    "pkwy",
    "nw",
    "ne",
    "sw",
    "se",
  ].map((w) => w.toLowerCase()),
);

/** Reads an office's postal address; `null` or blank is refused like an unreadable one. */
export function parseOfficeAddress(text: string | null | undefined): OfficeAddress {
  const source = (text ?? "").trim();
  if (source === "") return { ok: false, reason: "The office has no postal address." };
  const refuse = (why: string): OfficeAddress => ({
    ok: false,
    reason: `The office's postal address "${source}" cannot be printed on an envelope: ${why}.`,
  });

  // Lines and commas both separate parts; runs of spaces are one space.
  const parts = source
    .split(/[\n,]/)
    .map((p) => p.replace(/\s+/g, " ").trim())
    .filter((p) => p !== "");

  // The last part ends with "ST 12345" or "ST 12345-6789" (a state alone may end the part before).
  const last = parts.pop() ?? "";
  const tail = /^(?:(.*?) )?([A-Za-z]{2})\.? (\d{5}(?:-\d{4})?)$/.exec(last);
  let state: string;
  let zip: string;
  let beforeTail: string | undefined;
  if (tail) {
    [, beforeTail, state, zip] = tail;
  } else if (ZIP.test(last) && parts.length > 0 && /^[A-Za-z]{2}$/.test(parts[parts.length - 1])) {
    zip = last;
    state = parts.pop() as string;
  } else {
    return refuse("it does not end with a state and a ZIP code");
  }
  state = state.toUpperCase();
  if (!STATE_CODES.has(state)) return refuse(`"${state}" is not a US state or territory`);

  let city: string;
  if (beforeTail !== undefined && !CITY.test(beforeTail)) {
    // Street and city on one line without a comma: the city is what follows the last street word.
    const words = beforeTail.split(" ");
    const end = words.findLastIndex((w) => STREET_ENDINGS.has(w.replace(/\.$/, "").toLowerCase()));
    if (end < 0 || end === words.length - 1) return refuse("the street and the city cannot be told apart");
    city = words.slice(end + 1).join(" ");
    parts.push(words.slice(0, end + 1).join(" "));
  } else if (beforeTail !== undefined) {
    city = beforeTail;
  } else {
    const previous = parts.pop();
    if (previous === undefined) return refuse("it has no city");
    city = previous;
  }
  if (!CITY.test(city)) return refuse(`"${city}" does not read as a city`);

  // What is left: an optional leading name without digits ("The White House"), then street lines.
  const firstStreet = parts.findIndex((p) => /\d/.test(p));
  if (firstStreet < 0) return refuse("it has no street line with a number");
  const named = parts.slice(0, firstStreet);
  if (named.length > 1) return refuse("it has more than one line before the street");
  const streetLines = parts.slice(firstStreet);
  if (streetLines.length > 2) return refuse("it has more than two street lines");
  const company = named[0] ?? null;
  if (company !== null && company.length > LOB_LIMITS.company)
    return refuse(`"${company}" is longer than ${LOB_LIMITS.company} characters`);
  const tooLong = streetLines.find((line) => line.length > LOB_LIMITS.line);
  if (tooLong) return refuse(`"${tooLong}" is longer than ${LOB_LIMITS.line} characters`);

  const address: LobUsAddress = {
    address_line1: streetLines[0],
    address_city: city,
    address_state: state,
    address_zip: zip,
  };
  if (streetLines[1]) address.address_line2 = streetLines[1];
  return { ok: true, company, address };
}

/** The address on one line, for the attempt log. */
export function addressOneLine(address: LobUsAddress): string {
  return [
    address.address_line1,
    address.address_line2,
    address.address_city,
    `${address.address_state} ${address.address_zip}`,
  ]
    .filter(Boolean)
    .join(", ");
}
