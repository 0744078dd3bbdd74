// What the CWC services accept, read from the CWC 2.0 RELAX NG schema
// (prisma/data/cwc/cwc_schema_v2.rng) and, for the prefix, the Senate's rule. One list, used by
// the message composer before it sends and by signing to refuse what CWC would refuse, so a
// supporter hears about an over-long name while they can still fix it, not weeks later.
// No server-only imports: the signing form may use it in the browser too.
import type { LetterSender } from "../channel";

/** The Senate refuses any other prefix; the House schema takes any text, so we ask for these. */
export const CWC_PREFIXES = ["Mr.", "Mrs.", "Miss", "Ms.", "Dr."] as const;

/** The schema's StateAbbreviation values: states, DC and the five territories. */
export const CWC_STATES = [
  ..."AK AL AR AS AZ CA CO CT DC DE FL GA GU HI IA ID IL IN KS KY LA MA MD ME MI MN MO MP MS MT".split(" "),
  ..."NC ND NE NH NJ NM NV NY OH OK OR PA PR RI SC SD TN TX UT VA VI VT WA WI WV WY".split(" "),
] as readonly string[];

/** The schema's LibraryOfCongressTopic values (the Library of Congress's policy areas). */
export const CWC_TOPICS = [
  "Agriculture and Food",
  "Animals",
  "Armed Forces and National Security",
  "Arts, Culture, Religion",
  "Civil Rights and Liberties, Minority Issues",
  "Commerce",
  "Congress",
  "Crime and Law Enforcement",
  "Economics and Public Finance",
  "Education",
  "Emergency Management",
  "Energy",
  "Environmental Protection",
  "Families",
  "Finance and Financial Sector",
  "Foreign Trade and International Finance",
  "Government Operations and Politics",
  "Health",
  "Housing and Community Development",
  "Immigration",
  "International Affairs",
  "Labor and Employment",
  "Law",
  "Native Americans",
  "Public Lands and Natural Resources",
  "Science, Technology, Communications",
  "Social Sciences and History",
  "Social Welfare",
  "Sports and Recreation",
  "Taxation",
  "Transportation and Public Works",
  "Water Resources Development",
] as const;

/** The schema's BillTypeAbbreviation values. */
export const CWC_BILL_TYPES = ["hamdt", "hconres", "hjres", "hr", "hres", "s", "samdt", "sconres", "sjres", "sres"];

/** Lengths in characters (Unicode code points, as libxml2 counts them), from the schema. */
export const CWC_LENGTHS = {
  prefix: { min: 1, max: 500, label: "Prefix" },
  firstName: { min: 1, max: 500, label: "First name" },
  lastName: { min: 1, max: 500, label: "Last name" },
  street: { min: 3, max: 500, label: "Street address" },
  city: { min: 3, max: 500, label: "City" },
  subject: { min: 6, max: 500, label: "Subject" },
  organizationStatement: { min: 6, max: 10_000, label: "Letter" },
  ownWords: { min: 6, max: 10_000, label: "Your own words" },
  deliveryAgent: { min: 4, max: 500, label: "Delivery agent" },
  deliveryAgentContactName: { min: 6, max: 500, label: "Delivery agent contact name" },
  campaignId: { min: 2, max: 500, label: "CWC campaign id" },
  organization: { min: 6, max: 500, label: "Organization" },
} as const;
export type CwcLengthField = keyof typeof CWC_LENGTHS;

/** The schema's patterns. XML Schema patterns match the whole value, hence the anchors. */
export const CWC_PATTERNS = {
  zip: /^[0-9]{5}(-[0-9]{4})?$/,
  phone: /^[0-9]{3}-[0-9]{3}-[0-9]{4}$/,
  // [^@]+@[^\.]+\..+ — XML Schema's "." matches anything but a line break.
  email: /^[^@]+@[^.]+\..+$/,
  deliveryId: /^[a-zA-Z0-9]{32}$/,
  houseOffice: /^H[A-Z][A-Z][0-9][0-9]$/,
};

// XML 1.0 allows tab, line feed, carriage return and everything from U+0020 up, except the
// surrogates and U+FFFE/U+FFFF. A lone surrogate (a broken emoji) is as invalid as a control
// character; a paired one is a real character and stays.
const FORBIDDEN_IN_XML =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as CWC will receive it: characters XML 1.0 forbids removed, line breaks made "\n" (an XML
 * parser turns "\r\n" into "\n" anyway, so this keeps lengths honest), ends trimmed.
 */
export function cwcText(text: string): string {
  return text.replace(FORBIDDEN_IN_XML, "").replace(/\r\n?/g, "\n").trim();
}

/** The length the schema checks: characters, not UTF-16 code units (an emoji is one). */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * A phone number as CWC wants it (NNN-NNN-NNNN), from what a supporter typed: "(802) 555-0142",
 * "802.555.0142" or "+1 802 555 0142". Null when it is not a ten-digit US number.
 */
export function cwcPhone(raw: string): string | null {
  let digits = raw.replace(/[\s().\-+]/g, "");
  if (!/^[0-9]+$/.test(digits)) return null;
  if (digits.length === 11 && digits.startsWith("1")) digits = digits.slice(1);
  if (digits.length !== 10) return null;
  return `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`;
}

/** A problem with one field, worded for the person who can fix it. */
export interface CwcFieldProblem {
  field: string;
  message: string;
}

/** Whether a text fits a length rule; the problem names the field. */
export function lengthProblem(field: CwcLengthField, value: string | null | undefined): CwcFieldProblem | null {
  const rule = CWC_LENGTHS[field];
  const count = characterCount(cwcText(value ?? ""));
  if (count === 0 && rule.min > 0) return { field, message: `${rule.label} is required` };
  if (count < rule.min) return { field, message: `${rule.label} must be at least ${rule.min} characters` };
  if (count > rule.max)
    return { field, message: `${rule.label} must be at most ${rule.max} characters (it has ${count})` };
  return null;
}

/**
 * The supporter's details CWC would refuse. Signing calls it when one of the supporter's offices
 * takes letters through CWC; the composer calls it again before sending. The prefix list is the
 * Senate's; the House takes any prefix, so `chamber: "house"` only checks that there is one.
 */
export function cwcSenderProblems(
  sender: LetterSender,
  options: { chamber?: "house" | "senate"; ownWords?: string | null } = {},
): CwcFieldProblem[] {
  const problems: CwcFieldProblem[] = [];
  const add = (problem: CwcFieldProblem | null) => {
    if (problem) problems.push(problem);
  };
  const prefix = cwcText(sender.prefix ?? "");
  if (options.chamber === "house") add(lengthProblem("prefix", prefix));
  else if (!(CWC_PREFIXES as readonly string[]).includes(prefix)) {
    add({ field: "prefix", message: `Prefix must be one of ${CWC_PREFIXES.join(", ")}` });
  }
  add(lengthProblem("firstName", sender.firstName));
  add(lengthProblem("lastName", sender.lastName));
  add(lengthProblem("street", sender.street));
  add(lengthProblem("city", sender.city));
  if (!CWC_STATES.includes(sender.state.trim().toUpperCase())) {
    add({ field: "state", message: `State "${sender.state}" is not a US state, DC or territory` });
  }
  if (!CWC_PATTERNS.zip.test(sender.zip.trim())) {
    add({ field: "zip", message: "ZIP code must be 5 digits, or ZIP+4 as 12345-6789" });
  }
  if (!CWC_PATTERNS.email.test(sender.email.trim())) add({ field: "email", message: "E-mail address is not valid" });
  if (sender.phone && sender.phone.trim() !== "" && cwcPhone(sender.phone) === null) {
    add({ field: "phone", message: "Phone must be a 10-digit US number, like 802-555-0142" });
  }
  const ownWords = options.ownWords == null ? "" : cwcText(options.ownWords);
  if (ownWords !== "") add(lengthProblem("ownWords", ownWords));
  return problems;
}
