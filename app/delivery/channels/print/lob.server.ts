// Print-and-mail through Lob: the letter is printed, folded into a double-window envelope and
// posted to the office by first-class mail. For offices that publish no e-mail address and take
// no CWC message (the White House), and for any office when an organizer wants paper.
//
// One letter is one POST /v1/letters. Its Idempotency-Key comes from the delivery's id, and the
// request body depends only on the letter (the printed date is the day it was signed), so a retry
// after a crash or a lost answer gets Lob's first letter back instead of printing a second one.
import { createHash } from "node:crypto";
import type { ChannelOutcome, DeliveryChannel, LetterOffice, LetterSender, OutgoingLetter } from "../channel";
import type { PrintConfig } from "./config.server";
import { LOB_FILE_MAX_CHARS, renderLetterHtml } from "./letter-html";
import { addressOneLine, LOB_LIMITS, parseOfficeAddress, type LobUsAddress } from "./postal-address";

/** A name and address as Lob's `to` and `from` take them. */
export type LobAddress = LobUsAddress & { name: string; company?: string };

/** What we send as the body of POST /v1/letters. */
export interface LobLetterRequest {
  description: string;
  to: LobAddress;
  from: LobAddress;
  file: string;
  color: false;
  double_sided: false;
  address_placement: "top_first_page";
  use_type: "operational";
  metadata: { delivery: string };
}

export interface LobChannelOptions extends PrintConfig {
  /** How long one request may take before it counts as a transient failure. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** How much of Lob's answer the attempt log keeps. */
const RESPONSE_EXCERPT = 500;

/** The same key for every attempt of one delivery, and a different one for every delivery. */
export function lobIdempotencyKey(deliveryId: string): string {
  return `sincerely-delivery-${createHash("sha256").update(deliveryId).digest("hex")}`;
}

/** The office on the envelope, or why it cannot be printed there. */
export function officeRecipient(office: LetterOffice): { ok: true; to: LobAddress } | { ok: false; reason: string } {
  const parsed = parseOfficeAddress(office.postalAddress);
  if (!parsed.ok) return parsed;
  const president = office.chamber === "president" || office.chamber === "white_house";
  const fullName = office.fullName.trim();
  const honorable = `Hon. ${fullName}`;
  const name = president ? "The President" : honorable.length <= LOB_LIMITS.name ? honorable : fullName;
  if (name.length > LOB_LIMITS.name) {
    return {
      ok: false,
      reason: `The office holder's name "${fullName}" is longer than Lob's ${LOB_LIMITS.name} characters.`,
    };
  }
  const company =
    parsed.company ??
    (president
      ? "The White House"
      : office.chamber === "senate"
        ? "United States Senate"
        : office.chamber === "house"
          ? "U.S. House of Representatives"
          : undefined);
  return { ok: true, to: { name, ...(company ? { company } : {}), ...parsed.address } };
}

/**
 * The supporter as the return address. The envelope's name has room for 40 characters; a longer
 * name is shortened there (the letter itself is signed with the whole name). A street too long
 * for one line of 64 is split at a space onto the second line.
 */
export function senderReturnAddress(
  sender: LetterSender,
): { ok: true; from: LobAddress } | { ok: false; reason: string } {
  const first = sender.firstName.trim();
  const last = sender.lastName.trim();
  const candidates = [`${first} ${last}`, `${[...first][0] ?? ""}. ${last}`, last];
  const name = candidates.find((n) => n.length <= LOB_LIMITS.name) ?? cut(last, LOB_LIMITS.name);

  const street = sender.street.trim().replace(/\s+/g, " ");
  let line1 = street;
  let line2: string | undefined;
  if (street.length > LOB_LIMITS.line) {
    const split = street.lastIndexOf(" ", LOB_LIMITS.line);
    line1 = split > 0 ? street.slice(0, split) : street;
    line2 = split > 0 ? street.slice(split + 1) : undefined;
    if (line1.length > LOB_LIMITS.line || (line2 ?? "").length > LOB_LIMITS.line) {
      return {
        ok: false,
        reason: `The supporter's street address is longer than two lines of ${LOB_LIMITS.line} characters.`,
      };
    }
  }
  return {
    ok: true,
    from: {
      name,
      address_line1: line1,
      ...(line2 ? { address_line2: line2 } : {}),
      address_city: sender.city.trim(),
      address_state: sender.state.trim().toUpperCase(),
      address_zip: sender.zip.trim(),
    },
  };
}

/** The office's address block inside the letter: the envelope's lines, city line as the post office writes it. */
function recipientLines(to: LobAddress): string[] {
  return [
    to.name,
    to.company,
    to.address_line1,
    to.address_line2,
    `${to.address_city}, ${to.address_state} ${to.address_zip}`,
  ].filter((line): line is string => Boolean(line));
}

/** The request for one letter, or why there can be none (nothing about it will change on a retry). */
export function buildLobLetter(
  outgoing: OutgoingLetter,
): { ok: true; request: LobLetterRequest } | { ok: false; kind: "not-taken" | "permanent"; reason: string } {
  const recipient = officeRecipient(outgoing.office);
  // The office's data is at fault, not the letter: another channel, or a corrected address, can still carry it.
  if (!recipient.ok) return { ok: false, kind: "not-taken", reason: recipient.reason };
  const sender = senderReturnAddress(outgoing.sender);
  if (!sender.ok) return { ok: false, kind: "permanent", reason: sender.reason };

  const file = renderLetterHtml({
    date: outgoing.letter.createdAt,
    recipientLines: recipientLines(recipient.to),
    bodyText: outgoing.letter.bodyText,
    ownWords: outgoing.letter.ownWords,
    sender: outgoing.sender,
  });
  if (file.length > LOB_FILE_MAX_CHARS) {
    return {
      ok: false,
      kind: "permanent",
      reason:
        `The printed letter is ${file.length} characters of HTML; Lob takes at most ${LOB_FILE_MAX_CHARS}. ` +
        "Shorten the campaign's letter or the supporter's own words.",
    };
  }
  return {
    ok: true,
    request: {
      description: `Sincerely delivery ${outgoing.deliveryId}`.slice(0, 255),
      to: recipient.to,
      from: sender.from,
      file,
      color: false,
      double_sided: false,
      address_placement: "top_first_page",
      use_type: "operational",
      metadata: { delivery: outgoing.deliveryId.slice(0, 500) },
    },
  };
}

export function createLobChannel(options: LobChannelOptions): DeliveryChannel {
  const endpoint = `${options.url.replace(/\/+$/, "")}/v1/letters`;
  const authorization = `Basic ${Buffer.from(`${options.apiKey}:`).toString("base64")}`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  return {
    name: "print",

    accepts(office) {
      return officeRecipient(office).ok;
    },

    async send(outgoing, sendOptions) {
      // A test campaign must never reach a real office: a live key would print and post the letter.
      if (outgoing.campaign.mode === "test" && options.keyMode === "live") {
        return {
          kind: "paused",
          reason:
            "The campaign is in test mode but LOB_API_KEY is a live key, which would print and post the letter; " +
            "use a test_ key, or make the campaign live.",
        };
      }
      // And a live campaign's letter must never be recorded as sent when a test key printed nothing.
      if (outgoing.campaign.mode === "live" && options.keyMode === "test") {
        return {
          kind: "paused",
          reason:
            "The campaign is live but LOB_API_KEY is a test key, which prints nothing; " +
            "use a live_ key, or put the campaign in test mode.",
        };
      }
      const built = buildLobLetter(outgoing);
      if (!built.ok) return { kind: built.kind, reason: built.reason };
      const { request } = built;

      const signals = [AbortSignal.timeout(timeoutMs), ...(sendOptions?.signal ? [sendOptions.signal] : [])];
      let response: Response;
      let body: string;
      try {
        response = await fetch(endpoint, {
          method: "POST",
          headers: {
            authorization,
            "content-type": "application/json",
            accept: "application/json",
            "idempotency-key": lobIdempotencyKey(outgoing.deliveryId),
          },
          body: JSON.stringify(request),
          signal: AbortSignal.any(signals),
        });
        body = await response.text();
      } catch (error) {
        // Lob may or may not have made the letter; the retry's idempotency key makes that safe.
        const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
        const why = sendOptions?.signal?.aborted
          ? "the worker stopped before Lob answered"
          : timedOut
            ? `Lob did not answer within ${timeoutMs} ms`
            : `Lob could not be reached (${describeError(error)})`;
        return { kind: "transient", reason: `Print: ${why}.` };
      }
      return classifyLobAnswer(response.status, body, response.headers.get("retry-after"), {
        recipient: `${request.to.name}, ${addressOneLine(request.to)}`,
        testKey: options.keyMode === "test",
      });
    },
  };
}

/** What Lob's answer means for the letter. */
export function classifyLobAnswer(
  status: number,
  body: string,
  retryAfter: string | null,
  context: { recipient: string; testKey: boolean },
): ChannelOutcome {
  const excerpt = `${status} ${body.slice(0, RESPONSE_EXCERPT)}`;
  if (status >= 200 && status < 300) {
    const letter = parseJson(body) as { id?: unknown; expected_delivery_date?: unknown } | null;
    if (!letter || typeof letter.id !== "string" || !letter.id.startsWith("ltr_")) {
      // Lob took the request but its answer is unreadable; asking again with the same key is safe.
      return {
        kind: "transient",
        reason: "Print: Lob accepted the letter but its answer had no letter id.",
        response: excerpt,
      };
    }
    const expected = typeof letter.expected_delivery_date === "string" ? new Date(letter.expected_delivery_date) : null;
    const expectedDelivery = expected && !Number.isNaN(expected.getTime()) ? expected : undefined;
    // Only the id and the date: Lob echoes the supporter's address, which the attempt log need not keep.
    const summary = [
      `${status} ${letter.id}`,
      expectedDelivery ? `expected ${letter.expected_delivery_date}` : null,
      context.testKey ? "(Lob test key: nothing was printed)" : null,
    ];
    return {
      kind: "sent",
      response: summary.filter(Boolean).join(" "),
      reference: letter.id,
      ...(expectedDelivery ? { expectedDelivery } : {}),
      recipient: context.recipient,
    };
  }

  const message = lobErrorMessage(body) ?? `HTTP ${status}`;
  if (status === 401 || status === 403) {
    return { kind: "paused", reason: `Print: Lob refused LOB_API_KEY (${status}: ${message}).`, response: excerpt };
  }
  if (status === 429 || status >= 500 || status === 408 || status === 409) {
    // 409: Lob is still working on an earlier request with the same idempotency key.
    const retryAfterMs = parseRetryAfter(retryAfter);
    return {
      kind: "transient",
      reason: `Print: Lob answered ${status} (${message}).`,
      response: excerpt,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  // 400, 404, 422 and any other refusal: sending the same request again gets the same answer.
  return {
    kind: "permanent",
    reason: `Print: Lob refused the letter (${status}: ${message}).`,
    response: excerpt,
    errors: [message],
  };
}

/** Lob's errors are `{"error": {"message", "status_code", "code"}}`. */
function lobErrorMessage(body: string): string | null {
  const parsed = parseJson(body) as { error?: { message?: unknown; code?: unknown } } | null;
  const message = parsed?.error?.message;
  if (typeof message !== "string" || message.trim() === "") return null;
  return typeof parsed?.error?.code === "string" ? `${parsed.error.code}: ${message}` : message;
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  const code = cause && typeof cause === "object" && "code" in cause ? String((cause as { code: unknown }).code) : null;
  return code ? `${error.message}: ${code}` : error.message;
}

function cut(text: string, max: number): string {
  return [...text].slice(0, max).join("").slice(0, max);
}
