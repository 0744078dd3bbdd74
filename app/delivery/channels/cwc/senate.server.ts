// The Senate's CWC service (SOAPBox) as a delivery channel. The same XML as the House's, posted to
// /api/testing-messages/ (test-mode campaigns) or /api/production-messages/ (live ones). 201 is
// accepted and 409 means this DeliveryId was accepted before: a repeat after a crash ends there.
// The Senate is down for maintenance on Sunday 00:00–06:00 and Wednesday 05:00–07:00 Eastern,
// and takes at most 5 messages a second from a vendor, counted across all our workers.
import type { ChannelOutcome, DeliveryChannel, LetterOffice, OutgoingLetter } from "../channel";
import type { CwcConfig } from "./config.server";
import { senateMaintenanceEnd } from "./eastern-time";
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

const SERVICE = "Senate CWC";

/**
 * The Senate's send rate, shared by every worker: `acquire` resolves when one more message may go.
 * Production backs it with the database; inMemorySendRate serves one process and the tests.
 */
export interface SendRateLimiter {
  acquire(signal?: AbortSignal): Promise<void>;
}

/** At most `max` acquisitions in any `perMs` window, in this process. */
export function inMemorySendRate(options: { max: number; perMs: number } = { max: 5, perMs: 1000 }): SendRateLimiter {
  const granted: number[] = [];
  let queue: Promise<void> = Promise.resolve();
  const wait = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason)), { once: true });
    });
  return {
    acquire(signal) {
      // One at a time, so two callers never both take the last slot of a window.
      const turn = queue.then(async () => {
        for (;;) {
          signal?.throwIfAborted();
          const now = Date.now();
          while (granted.length > 0 && now - granted[0] >= options.perMs) granted.shift();
          if (granted.length < options.max) {
            granted.push(now);
            return;
          }
          await wait(granted[0] + options.perMs - now, signal);
        }
      });
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}

/** The refusal's reason as SOAPBox words it: JSON fields or plain text, cut to a readable length. */
function senateErrors(body: string): string[] {
  const text = body.trim();
  if (text === "") return [];
  try {
    const parsed: unknown = JSON.parse(text);
    const flatten = (value: unknown): string[] =>
      typeof value === "string"
        ? [value]
        : Array.isArray(value)
          ? value.flatMap(flatten)
          : value && typeof value === "object"
            ? Object.entries(value).flatMap(([key, v]) =>
                flatten(v).map((s) => (["detail", "error", "errors", "message"].includes(key) ? s : `${key}: ${s}`)),
              )
            : value === null || value === undefined
              ? []
              : [String(value)];
    const texts = flatten(parsed).filter((s) => s.trim() !== "");
    if (texts.length > 0) return texts.map((s) => truncate(s, 1000));
  } catch {
    // plain text
  }
  return [truncate(text, 1000)];
}

/** What a SOAPBox answer means. */
export function senateOutcome(answer: ServiceAnswer, officeCode: string): ChannelOutcome {
  const common = commonOutcome(answer, SERVICE);
  if (common) return common;
  const response = truncate(answer.body);
  if (answer.status === 201 || answer.status === 200) return { kind: "sent", response, recipient: officeCode };
  if (answer.status === 409) {
    return { kind: "sent", response: truncate(`Already accepted (HTTP 409): ${answer.body}`), recipient: officeCode };
  }
  const errors = senateErrors(answer.body);
  const reason = truncate(
    `${SERVICE} refused the message (HTTP ${answer.status}): ${errors.join("; ") || "no reason given"}`,
  );
  if (answer.status === 400 && errors.some((error) => error.includes(officeCode))) {
    return { kind: "not-taken", reason, response };
  }
  return { kind: "permanent", reason, response, errors };
}

export interface SenateCwcOptions {
  config: Pick<CwcConfig, "senate" | "agent">;
  store: OfficeListStore;
  limiter: SendRateLimiter;
  organization?: string | null;
  timeoutMs?: number;
  now?: () => Date;
}

export interface SenateCwcChannel extends DeliveryChannel {
  refreshOffices(): Promise<void>;
}

export function createSenateCwcChannel(options: SenateCwcOptions): SenateCwcChannel {
  const { senate, agent } = options.config;
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deliveryAgent: CwcDeliveryAgent | null = agent
    ? { ...agent, organization: options.organization ?? agent.organization }
    : null;

  const fetchCodes = async (): Promise<OfficeListFetch> => {
    const call = await callService(
      serviceUrl(senate!.url, "/api/active_offices/", senate!.apiKey),
      { method: "GET" },
      { timeoutMs },
    );
    if ("failed" in call) return call;
    const list = parseJsonList(call.answer, SERVICE);
    if ("failed" in list) return list;
    // [{"name": "Amy Klobuchar [bioguide_id: K000367]", "office_code": "SMN01"}, …]
    const codes = list.items.flatMap((item) =>
      item && typeof item === "object" && typeof (item as { office_code?: unknown }).office_code === "string"
        ? [(item as { office_code: string }).office_code.trim()]
        : [],
    );
    return { codes };
  };
  const offices = new OfficeList({ name: "senate-cwc", store: options.store, fetchCodes, now });

  return {
    name: "senate-cwc",
    accepts(office: LetterOffice): boolean {
      if (!senate || !deliveryAgent || office.chamber !== "senate") return false;
      const code = cwcOfficeCode(office);
      offices.touch();
      return code !== null && (offices.current()?.has(code) ?? false);
    },

    async send(letter: OutgoingLetter, sendOptions?: { signal?: AbortSignal }): Promise<ChannelOutcome> {
      if (!senate || !deliveryAgent) {
        return {
          kind: "paused",
          reason: `${SERVICE} is not configured (SCWC_API_KEY and the CWC_* delivery agent details)`,
        };
      }
      // Checked before anything is asked of the Senate: in a window it may answer anything.
      const windowEnd = senateMaintenanceEnd(now());
      if (windowEnd) return { kind: "waiting", reason: `${SERVICE} is in its maintenance window`, until: windowEnd };
      const officeCode = cwcOfficeCode(letter.office);
      if (letter.office.chamber !== "senate" || officeCode === null) {
        return { kind: "not-taken", reason: `${letter.office.fullName} is not a Senate office with a known class` };
      }
      const list = await offices.fresh();
      if ("failed" in list) return list.failed;
      if (!list.codes.has(officeCode)) {
        return { kind: "not-taken", reason: `${officeCode} is not on the ${SERVICE} list of participating offices` };
      }
      const message = composeCwcMessage(letter, deliveryAgent, "senate", now());
      if (!message.ok) return unsendableOutcome(message.problems, SERVICE);
      try {
        await options.limiter.acquire(sendOptions?.signal);
      } catch {
        return { kind: "transient", reason: "Interrupted while waiting for the Senate's send rate" };
      }
      const path = letter.campaign.mode === "live" ? "/api/production-messages/" : "/api/testing-messages/";
      const call = await callService(
        serviceUrl(senate.url, path, senate.apiKey),
        { method: "POST", body: message.xml, headers: { "Content-Type": "application/xml" } },
        { timeoutMs, signal: sendOptions?.signal },
      );
      if ("failed" in call) return call.failed;
      const outcome = senateOutcome(call.answer, officeCode);
      return outcome.kind === "sent" ? { ...outcome, reference: message.deliveryId } : outcome;
    },

    async refreshOffices() {
      if (senate) await offices.refresh();
    },
  };
}
