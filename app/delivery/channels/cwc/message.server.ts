// Composes the CWC 2.0 XML message for one letter to one House or Senate office. The House and the
// Senate take the same XML; the Senate asks that the supporter's name and address stay out of the
// message text (they travel in <Constituent>), so its statement loses the signature block.
import { createHash } from "node:crypto";
import { create } from "xmlbuilder2";
import type { ChannelOutcome, LetterSender, OutgoingLetter } from "../channel";
import { easternDate } from "./eastern-time";
import {
  CWC_BILL_TYPES,
  CWC_PATTERNS,
  CWC_TOPICS,
  cwcPhone,
  cwcSenderProblems,
  cwcText,
  lengthProblem,
  type CwcFieldProblem,
} from "./limits";
import { cwcChamberOfCode, cwcOfficeCode } from "./office-codes";

export type CwcChamber = "house" | "senate";

/** Who delivers: the platform's registration with the CWC programme (see config.server.ts). */
export interface CwcDeliveryAgent {
  /** Must match the name the API key was issued to. */
  name: string;
  /** Where CWC sends its acknowledgements. */
  ackEmail: string;
  contactName: string;
  contactEmail: string;
  /** NNN-NNN-NNNN */
  contactPhone: string;
  /** The organization running the campaign, when there is one to name (Delivery/Organization). */
  organization?: string | null;
}

/**
 * CWC's DeliveryId for a delivery: 32 letters and digits, the same on every attempt, so a repeat
 * after a crash is the same message to CWC (the Senate answers it 409, already accepted).
 */
export function cwcDeliveryId(deliveryId: string): string {
  return createHash("sha256").update(`sincerely-cwc\u0000${deliveryId}`).digest("hex").slice(0, 32);
}

function lines(text: string): string[] {
  return text.replace(/\r\n?/g, "\n").split("\n");
}

const sameLine = (a: string, b: string) =>
  a.trim().replace(/\s+/g, " ").toLowerCase() === b.trim().replace(/\s+/g, " ").toLowerCase();

/**
 * The letter without its signature block: the supporter's name, street and "City, ST ZIP" lines
 * at its end, as the letter composer writes them (app/letters/compose.ts). The closing line
 * ("Sincerely,") stays. A letter that does not end with them is returned unchanged.
 */
export function withoutSignature(bodyText: string, sender: LetterSender): string {
  const signature = [
    `${sender.firstName} ${sender.lastName}`,
    sender.street,
    `${sender.city}, ${sender.state} ${sender.zip}`,
  ];
  const all = lines(bodyText.trimEnd());
  let end = all.length;
  while (end > 0 && signature.some((line) => line.trim() !== "" && sameLine(all[end - 1], line))) end--;
  return all.slice(0, end).join("\n").trimEnd();
}

/**
 * The campaign's text for the office: the letter as stored (bodyText, which is the composer's
 * whole letter) without the supporter's own words, which CWC carries apart in
 * ConstituentMessage, and for the Senate without the signature block.
 */
export function organizationStatement(letter: OutgoingLetter, chamber: CwcChamber): string {
  let text = letter.letter.bodyText.replace(/\r\n?/g, "\n");
  const ownWords = letter.letter.ownWords?.replace(/\r\n?/g, "\n").trim();
  if (ownWords) {
    const block = `\n\n${ownWords}\n\n`;
    const at = text.indexOf(block);
    if (at >= 0) text = text.slice(0, at) + "\n\n" + text.slice(at + block.length);
  }
  if (chamber === "senate") text = withoutSignature(text, letter.sender);
  return cwcText(text);
}

export type ComposedCwcMessage =
  { ok: true; xml: string; deliveryId: string; officeCode: string } | { ok: false; problems: CwcFieldProblem[] };

/** The campaign settings CWC refuses, worded for the organizer. */
export function cwcCampaignProblems(campaign: OutgoingLetter["campaign"]): CwcFieldProblem[] {
  const problems: CwcFieldProblem[] = [];
  const campaignId = lengthProblem("campaignId", campaign.cwcCampaignId);
  if (campaignId) problems.push(campaignId);
  if (campaign.cwcTopics.length === 0) {
    problems.push({ field: "cwcTopics", message: "Choose at least one Library of Congress topic" });
  }
  for (const topic of campaign.cwcTopics) {
    if (!(CWC_TOPICS as readonly string[]).includes(topic)) {
      problems.push({ field: "cwcTopics", message: `"${topic}" is not one of CWC's Library of Congress topics` });
    }
  }
  for (const bill of campaign.cwcBills) {
    const name = `${bill.type} ${bill.number}`;
    if (!CWC_BILL_TYPES.includes(bill.type)) {
      problems.push({
        field: "cwcBills",
        message: `Bill type "${bill.type}" must be one of ${CWC_BILL_TYPES.join(", ")}`,
      });
    }
    if (!Number.isInteger(bill.number) || bill.number < 1 || !Number.isInteger(bill.congress) || bill.congress < 1) {
      problems.push({ field: "cwcBills", message: `Bill ${name}: congress and number must be whole numbers from 1` });
    }
  }
  // CWC takes one ProOrCon for the whole message: one campaign id per issue and stance.
  if (new Set(campaign.cwcBills.map((bill) => bill.position)).size > 1) {
    problems.push({
      field: "cwcBills",
      message: "A CWC campaign supports or opposes all its bills: split it by stance",
    });
  }
  return problems;
}

function agentProblems(agent: CwcDeliveryAgent): CwcFieldProblem[] {
  const problems = [
    lengthProblem("deliveryAgent", agent.name),
    lengthProblem("deliveryAgentContactName", agent.contactName),
  ];
  if (agent.organization) problems.push(lengthProblem("organization", agent.organization));
  const out = problems.filter((p): p is CwcFieldProblem => p !== null);
  for (const [field, email] of [
    ["ackEmail", agent.ackEmail],
    ["contactEmail", agent.contactEmail],
  ] as const) {
    if (!CWC_PATTERNS.email.test(email.trim())) out.push({ field, message: `Delivery agent ${field} is not valid` });
  }
  if (!CWC_PATTERNS.phone.test(agent.contactPhone.trim())) {
    out.push({ field: "contactPhone", message: "Delivery agent contact phone must look like 202-555-0142" });
  }
  return out;
}

const AGENT_FIELDS = new Set([
  "deliveryAgent",
  "deliveryAgentContactName",
  "organization",
  "ackEmail",
  "contactEmail",
  "contactPhone",
]);

/**
 * What a letter CWC would refuse means for it, decided before anything is sent. The vendor's own
 * details wrong: our configuration, so the channel pauses (no letter is failed for it). Anything
 * else (the supporter's details, the campaign's topics, the office): CWC cannot take this letter
 * as it stands, so it goes by the office's next channel (print), with the reasons recorded.
 */
export function unsendableOutcome(problems: CwcFieldProblem[], service: string): ChannelOutcome {
  const errors = problems.map((p) => p.message);
  const reason = `${service} would refuse it: ${errors.join("; ")}`;
  if (problems.some((p) => AGENT_FIELDS.has(p.field))) return { kind: "paused", reason };
  return { kind: "not-taken", reason };
}

/**
 * The CWC XML for one letter, or the problems that would make CWC refuse it (nothing is sent
 * then). `at` is the attempt's time: DeliveryDate is the day it is sent, in Washington.
 */
export function composeCwcMessage(
  letter: OutgoingLetter,
  agent: CwcDeliveryAgent,
  chamber: CwcChamber,
  at: Date = new Date(),
): ComposedCwcMessage {
  const { sender, campaign } = letter;
  const officeCode = cwcOfficeCode(letter.office);
  const problems: CwcFieldProblem[] = [];
  if (officeCode === null || cwcChamberOfCode(officeCode) !== chamber) {
    problems.push({
      field: "office",
      message: `${letter.office.fullName} has no ${chamber === "house" ? "House" : "Senate"} CWC office code`,
    });
  }
  problems.push(...cwcSenderProblems(sender, { chamber, ownWords: letter.letter.ownWords }));
  const subject = lengthProblem("subject", letter.letter.subject);
  if (subject) problems.push(subject);
  const statement = organizationStatement(letter, chamber);
  const statementProblem = lengthProblem("organizationStatement", statement);
  if (statementProblem) problems.push(statementProblem);
  problems.push(...cwcCampaignProblems(campaign), ...agentProblems(agent));
  if (problems.length > 0 || officeCode === null) return { ok: false, problems };

  const deliveryId = cwcDeliveryId(letter.deliveryId);
  const ownWords = cwcText(letter.letter.ownWords ?? "");
  const phone = sender.phone ? cwcPhone(sender.phone) : null;

  const doc = create({ version: "1.0", encoding: "UTF-8" });
  const cwc = doc.ele("CWC");
  cwc.ele("CWCVersion").txt("2.0");

  const delivery = cwc.ele("Delivery");
  delivery.ele("DeliveryId").txt(deliveryId);
  delivery.ele("DeliveryDate").txt(easternDate(at));
  delivery.ele("DeliveryAgent").txt(cwcText(agent.name));
  delivery.ele("DeliveryAgentAckEmailAddress").txt(agent.ackEmail.trim());
  const contact = delivery.ele("DeliveryAgentContact");
  contact.ele("DeliveryAgentContactName").txt(cwcText(agent.contactName));
  contact.ele("DeliveryAgentContactEmail").txt(agent.contactEmail.trim());
  contact.ele("DeliveryAgentContactPhone").txt(agent.contactPhone.trim());
  delivery.ele("CampaignId").txt(cwcText(campaign.cwcCampaignId));
  if (agent.organization) delivery.ele("Organization").txt(cwcText(agent.organization));

  cwc.ele("Recipient").ele("MemberOffice").txt(officeCode);

  const constituent = cwc.ele("Constituent");
  constituent.ele("Prefix").txt(cwcText(sender.prefix ?? ""));
  constituent.ele("FirstName").txt(cwcText(sender.firstName));
  constituent.ele("LastName").txt(cwcText(sender.lastName));
  constituent.ele("Address1").txt(cwcText(sender.street));
  constituent.ele("City").txt(cwcText(sender.city));
  constituent.ele("StateAbbreviation").txt(sender.state.trim().toUpperCase());
  constituent.ele("Zip").txt(sender.zip.trim());
  constituent.ele("Email").txt(sender.email.trim());
  if (phone) constituent.ele("Phone").txt(phone);

  const message = cwc.ele("Message");
  message.ele("Subject").txt(cwcText(letter.letter.subject));
  const topics = message.ele("LibraryOfCongressTopics");
  for (const topic of campaign.cwcTopics) topics.ele("LibraryOfCongressTopic").txt(topic);
  if (campaign.cwcBills.length > 0) {
    const bills = message.ele("Bills");
    for (const bill of campaign.cwcBills) {
      const element = bills.ele("Bill");
      element.ele("BillCongress").txt(String(bill.congress));
      element.ele("BillTypeAbbreviation").txt(bill.type);
      element.ele("BillNumber").txt(String(bill.number));
    }
    message.ele("ProOrCon").txt(campaign.cwcBills[0].position);
  }
  message.ele("OrganizationStatement").txt(statement);
  if (ownWords !== "") message.ele("ConstituentMessage").txt(ownWords);

  const xml = doc.end({ prettyPrint: true, wellFormed: true });
  return { ok: true, xml, deliveryId, officeCode };
}
