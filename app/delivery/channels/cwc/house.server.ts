// The House's Communicating with Congress service as a delivery channel. POST <url>/v2/message
// with the CWC XML; 200 is accepted, 400 a refusal with <Errors><Error>…</Error></Errors>.
// Live campaigns use CWC_HOUSE_URL, test-mode ones the House's test service (CWC_HOUSE_TEST_URL);
// each service has its own list of participating offices (GET /v2/offices).
import { create } from "xmlbuilder2";
import type { ChannelOutcome, DeliveryChannel, LetterOffice, OutgoingLetter } from "../channel";
import type { CwcConfig } from "./config.server";
import { composeCwcMessage, unsendableOutcome, type CwcDeliveryAgent } from "./message.server";
import { cwcOfficeCode } from "./office-codes";
import {
  OfficeList,
  callService,
  commonOutcome,
  parseJsonList,
  serviceUrl,
  truncate,
  type OfficeListFetch,
  type OfficeListStore,
  type ServiceAnswer,
} from "./service.server";

const SERVICE = "House CWC";

export interface HouseCwcOptions {
  config: Pick<CwcConfig, "house" | "agent">;
  store: OfficeListStore;
  /** The organization named in every message's Delivery/Organization, when there is one. */
  organization?: string | null;
  timeoutMs?: number;
  now?: () => Date;
}

/** The texts of a House refusal's <Error> elements; the whole answer when it has none. */
export function houseErrors(body: string): string[] {
  try {
    const doc = create(body);
    const errors = doc.root().filter((node) => node.node.nodeName === "Error", true, true);
    const texts = errors.map((node) => (node.node.textContent ?? "").trim()).filter((text) => text !== "");
    if (texts.length > 0) return texts;
  } catch {
    // not XML: the text itself is the reason
  }
  const text = body.trim();
  return text === "" ? [] : [truncate(text)];
}

/**
 * What a House answer means. A refusal that names the office is the office not taking CWC
 * messages (it left the programme since the list was fetched): the letter moves to its next
 * channel rather than failing.
 */
export function houseOutcome(answer: ServiceAnswer, officeCode: string): ChannelOutcome {
  const common = commonOutcome(answer, SERVICE);
  if (common) return common;
  const response = truncate(answer.body);
  if (answer.status === 200) return { kind: "sent", response, recipient: officeCode };
  if (answer.status === 400) {
    const errors = houseErrors(answer.body);
    const reason = `${SERVICE} refused the message: ${errors.join("; ") || "no reason given"}`;
    if (errors.some((error) => error.includes(officeCode) || /MemberOffice/i.test(error))) {
      return { kind: "not-taken", reason, response };
    }
    return { kind: "permanent", reason: truncate(reason), response, errors };
  }
  return {
    kind: "permanent",
    reason: `${SERVICE} answered HTTP ${answer.status}`,
    response,
    errors: houseErrors(answer.body),
  };
}

export interface HouseCwcChannel extends DeliveryChannel {
  /** Loads the stored office lists and fetches them when 12 hours old (the worker calls it at start). */
  refreshOffices(): Promise<void>;
  /** Checks a letter with the House's /v2/validate, which delivers nothing. */
  validate(letter: OutgoingLetter, options?: { signal?: AbortSignal }): Promise<ChannelOutcome>;
}

export function createHouseCwcChannel(options: HouseCwcOptions): HouseCwcChannel {
  const { house, agent } = options.config;
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deliveryAgent: CwcDeliveryAgent | null = agent
    ? { ...agent, organization: options.organization ?? agent.organization }
    : null;

  const baseUrl = (mode: "test" | "live") => (mode === "live" ? house!.url : house!.testUrl);

  const fetchCodes = (mode: "test" | "live") => async (): Promise<OfficeListFetch> => {
    const call = await callService(
      serviceUrl(baseUrl(mode), "/v2/offices", house!.apiKey),
      { method: "GET" },
      { timeoutMs },
    );
    if ("failed" in call) return call;
    const list = parseJsonList(call.answer, SERVICE);
    if ("failed" in list) return list;
    return { codes: list.items.filter((item): item is string => typeof item === "string").map((code) => code.trim()) };
  };
  const lists = {
    live: new OfficeList({ name: "house-cwc:live", store: options.store, fetchCodes: fetchCodes("live"), now }),
    test: new OfficeList({ name: "house-cwc:test", store: options.store, fetchCodes: fetchCodes("test"), now }),
  };

  async function post(path: string, letter: OutgoingLetter, signal?: AbortSignal): Promise<ChannelOutcome> {
    if (!house || !deliveryAgent) {
      return {
        kind: "paused",
        reason: `${SERVICE} is not configured (CWC_HOUSE_API_KEY and the CWC_* delivery agent details)`,
      };
    }
    const officeCode = cwcOfficeCode(letter.office);
    if (letter.office.chamber !== "house" || officeCode === null) {
      return { kind: "not-taken", reason: `${letter.office.fullName} is not a House office` };
    }
    const list = await lists[letter.campaign.mode].fresh();
    if ("failed" in list) return list.failed;
    if (!list.codes.has(officeCode)) {
      return { kind: "not-taken", reason: `${officeCode} is not on the ${SERVICE} list of participating offices` };
    }
    const message = composeCwcMessage(letter, deliveryAgent, "house", now());
    if (!message.ok) return unsendableOutcome(message.problems, SERVICE);
    const call = await callService(
      serviceUrl(baseUrl(letter.campaign.mode), path, house.apiKey),
      { method: "POST", body: message.xml, headers: { "Content-Type": "application/xml" } },
      { timeoutMs, signal },
    );
    if ("failed" in call) return call.failed;
    const outcome = houseOutcome(call.answer, officeCode);
    return outcome.kind === "sent" ? { ...outcome, reference: message.deliveryId } : outcome;
  }

  return {
    name: "house-cwc",
    accepts(office: LetterOffice): boolean {
      if (!house || !deliveryAgent || office.chamber !== "house") return false;
      const code = cwcOfficeCode(office);
      lists.live.touch();
      return code !== null && (lists.live.current()?.has(code) ?? false);
    },
    send: (letter, sendOptions) => post("/v2/message", letter, sendOptions?.signal),
    validate: (letter, sendOptions) => post("/v2/validate", letter, sendOptions?.signal),
    async refreshOffices() {
      if (!house) return;
      await Promise.all([lists.live.refresh(), lists.test.refresh()]);
    },
  };
}
