// What the House and Senate CWC channels share: one HTTP call with a deadline, the answers both
// services give the same meaning, and the list of participating offices, fetched at most every
// 12 hours and kept (the last good one) in a store the caller provides.
import type { ChannelOutcome } from "../channel";

/** Stored answers are cut here: enough for a person to read the reason, not a whole error page. */
export const RESPONSE_LIMIT = 2000;

export function truncate(text: string, limit = RESPONSE_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length - limit} more characters)`;
}

/** `base` + `path` + the API key as CWC takes it, in the query string. */
export function serviceUrl(base: string, path: string, apiKey: string): string {
  return `${base.replace(/\/+$/, "")}${path}?apikey=${encodeURIComponent(apiKey)}`;
}

export interface ServiceAnswer {
  status: number;
  body: string;
  headers: Headers;
}

/**
 * One request with a deadline. Network failures and timeouts become a transient outcome (the
 * request may or may not have arrived; the DeliveryId makes a repeat recognisable). Nothing said
 * here contains the URL, which carries the API key.
 */
export async function callService(
  url: string,
  init: { method: "GET" | "POST"; body?: string; headers?: Record<string, string> },
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<{ answer: ServiceAnswer } | { failed: Extract<ChannelOutcome, { kind: "transient" }> }> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  try {
    const response = await fetch(url, { ...init, signal, redirect: "manual" });
    const body = await response.text();
    return { answer: { status: response.status, body, headers: response.headers } };
  } catch (error) {
    if (deadline.aborted) return { failed: { kind: "transient", reason: `No answer within ${options.timeoutMs} ms` } };
    if (options.signal?.aborted) return { failed: { kind: "transient", reason: "Interrupted before the answer came" } };
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    const message = error instanceof Error ? error.message : String(error);
    return { failed: { kind: "transient", reason: `Could not reach the service (${message}${cause})` } };
  }
}

/** Retry-After in milliseconds (seconds or an HTTP date), when the service sent one. */
export function retryAfterMs(headers: Headers, now: Date = new Date()): number | undefined {
  const value = headers.get("retry-after");
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/**
 * The answers that mean the same on both services, or null for the chamber to decide. A refused
 * key (401/403) and a wrong address (404, or a redirect: we never follow one with the key in
 * the URL) are our configuration: the channel pauses and the letter keeps its attempts.
 */
export function commonOutcome(answer: ServiceAnswer, service: string): ChannelOutcome | null {
  const response = truncate(answer.body);
  const { status } = answer;
  if (status === 401 || status === 403) {
    return { kind: "paused", reason: `${service} refused our API key (HTTP ${status})`, response };
  }
  if (status === 404 || (status >= 300 && status < 400)) {
    return { kind: "paused", reason: `${service} has no such address (HTTP ${status}): check its URL`, response };
  }
  if (status === 429) {
    return {
      kind: "transient",
      reason: `${service} asks us to slow down (HTTP 429)`,
      response,
      retryAfterMs: retryAfterMs(answer.headers),
    };
  }
  if (status >= 500) return { kind: "transient", reason: `${service} failed (HTTP ${status})`, response };
  return null;
}

/** The last good list of participating office codes, as a store keeps it. */
export interface OfficeListSnapshot {
  codes: string[];
  fetchedAt: Date;
}

/**
 * Where the last good office lists live between processes (the database in production, memory in
 * tests). `list` names one service's list, e.g. "house-cwc:live".
 */
export interface OfficeListStore {
  load(list: string): Promise<OfficeListSnapshot | null>;
  save(list: string, snapshot: OfficeListSnapshot): Promise<void>;
}

export function inMemoryOfficeListStore(): OfficeListStore & { lists: Map<string, OfficeListSnapshot> } {
  const lists = new Map<string, OfficeListSnapshot>();
  return {
    lists,
    async load(list) {
      const snapshot = lists.get(list);
      return snapshot ? { codes: [...snapshot.codes], fetchedAt: new Date(snapshot.fetchedAt) } : null;
    },
    async save(list, snapshot) {
      lists.set(list, { codes: [...snapshot.codes], fetchedAt: new Date(snapshot.fetchedAt) });
    },
  };
}

export const OFFICE_LIST_REFRESH_MS = 12 * 60 * 60 * 1000;
/** After a failed fetch, the next try waits this long (the last good list serves meanwhile). */
export const OFFICE_LIST_RETRY_MS = 15 * 60 * 1000;

/** What fetching a list gave: the codes, or the outcome a send should report when there is no list. */
export type OfficeListFetch = { codes: string[] } | { failed: ChannelOutcome };

/**
 * One service's list of participating offices. `current()` answers at once from memory (for
 * `accepts`); `fresh()` loads the stored list and fetches a new one when it is 12 hours old.
 * A failed fetch keeps the last good list; with none, sends report why there is none.
 */
export class OfficeList {
  private codes: Set<string> | null = null;
  private fetchedAt = 0;
  private lastTry = 0;
  private loaded = false;
  private lastFailure: ChannelOutcome | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly options: {
      name: string;
      store: OfficeListStore;
      fetchCodes: () => Promise<OfficeListFetch>;
      now: () => Date;
      refreshMs?: number;
      retryMs?: number;
    },
  ) {}

  /** The codes in memory now, or null before the first load. */
  current(): ReadonlySet<string> | null {
    return this.codes;
  }

  private stale(): boolean {
    const now = this.options.now().getTime();
    const refreshMs = this.options.refreshMs ?? OFFICE_LIST_REFRESH_MS;
    const retryMs = this.options.retryMs ?? OFFICE_LIST_RETRY_MS;
    return now - this.fetchedAt >= refreshMs && now - this.lastTry >= retryMs;
  }

  /** Loads the stored list, then fetches when it is stale; concurrent callers share one fetch. */
  refresh(): Promise<void> {
    this.inFlight ??= this.doRefresh().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async doRefresh(): Promise<void> {
    if (!this.loaded) {
      const stored = await this.options.store.load(this.options.name);
      this.loaded = true;
      if (stored && stored.fetchedAt.getTime() > this.fetchedAt) {
        this.codes = new Set(stored.codes);
        this.fetchedAt = stored.fetchedAt.getTime();
      }
    }
    if (!this.stale()) return;
    this.lastTry = this.options.now().getTime();
    const result = await this.options.fetchCodes();
    if ("failed" in result) {
      this.lastFailure = result.failed;
      return;
    }
    const snapshot = { codes: result.codes, fetchedAt: this.options.now() };
    this.codes = new Set(snapshot.codes);
    this.fetchedAt = snapshot.fetchedAt.getTime();
    this.lastFailure = null;
    await this.options.store.save(this.options.name, snapshot);
  }

  /** The list to send by: refreshed when stale, else the last good one; or why there is none. */
  async fresh(): Promise<{ codes: ReadonlySet<string> } | { failed: ChannelOutcome }> {
    if (!this.loaded || this.stale()) await this.refresh();
    if (this.codes) return { codes: this.codes };
    return {
      failed: this.lastFailure ?? {
        kind: "transient",
        reason: `No list of participating offices yet (${this.options.name})`,
      },
    };
  }

  /** For accepts(): start a refresh in the background when the list is stale; never waits. */
  touch(): void {
    if (!this.inFlight && (!this.loaded || this.stale())) this.refresh().catch(() => undefined);
  }
}

/** A JSON array from a list answer, or the outcome that says why not. */
export function parseJsonList(
  answer: ServiceAnswer,
  service: string,
): { items: unknown[] } | { failed: ChannelOutcome } {
  const common = commonOutcome(answer, service);
  if (common) return { failed: common };
  if (answer.status !== 200) {
    return {
      failed: {
        kind: "transient",
        reason: `${service}'s office list answered HTTP ${answer.status}`,
        response: truncate(answer.body),
      },
    };
  }
  try {
    const items: unknown = JSON.parse(answer.body);
    if (Array.isArray(items)) return { items };
  } catch {
    // falls through to the outcome below
  }
  return {
    failed: {
      kind: "transient",
      reason: `${service}'s office list is not a JSON array`,
      response: truncate(answer.body),
    },
  };
}
