// What a failed send means for the letter (try again later, or give up) and when to try again.

/** How many times a delivery is tried before it is marked failed. */
export const DEFAULT_MAX_ATTEMPTS = 10;

export interface BackoffOptions {
  /** The shortest wait before a retry, and the start of the exponential curve. */
  baseMs: number;
  /** No retry waits longer than this. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  baseMs: 30_000,
  capMs: 2 * 60 * 60 * 1000,
};

export interface SendFailure {
  /** permanent: the receiving server refused this letter for good; transient: try again later. */
  kind: "transient" | "permanent";
  /** What an organizer reads on the delivery: the server's reply where there is one. */
  reason: string;
  responseCode?: number;
  code?: string;
}

// Failures caused by our own configuration (credentials, TLS, the sender address) rather than by
// the letter. A 535 from a wrong SMTP password must not turn every queued letter into a permanent
// failure: once the operator fixes the setting, the retries go through.
const OPERATOR_PROBLEM_CODES = new Set(["EAUTH", "ENOAUTH", "EOAUTH2", "ETLS", "ECONFIG", "EPROXY"]);

interface SmtpishError {
  message?: unknown;
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  command?: unknown;
}

export function classifySendError(error: unknown): SendFailure {
  const err: SmtpishError = typeof error === "object" && error !== null ? error : {};
  const code = typeof err.code === "string" ? err.code : undefined;
  const responseCode = typeof err.responseCode === "number" ? err.responseCode : undefined;
  const command = typeof err.command === "string" ? err.command.toUpperCase() : undefined;
  const reason = describe(error, err);

  const base = {
    reason,
    ...(responseCode ? { responseCode } : {}),
    ...(code ? { code } : {}),
  };

  if (responseCode !== undefined && responseCode >= 500 && responseCode < 600) {
    // 503 is "bad sequence of commands": the session was confused, not the letter refused, and
    // a new connection usually gets it through.
    if (responseCode === 503) return { kind: "transient", ...base };
    if (code && OPERATOR_PROBLEM_CODES.has(code)) return { kind: "transient", ...base };
    // A refused sender address refuses every letter alike: a setting to fix, not a bad letter.
    if (command === "MAIL FROM") return { kind: "transient", ...base };
    return { kind: "permanent", ...base };
  }
  // 4xx (greylisting, mailbox busy, rate limits), connection and DNS trouble, timeouts, and
  // anything we do not recognise: retry. The attempt limit bounds the unknown cases.
  return { kind: "transient", ...base };
}

function describe(error: unknown, err: SmtpishError): string {
  if (typeof err.response === "string" && err.response.trim() !== "") {
    const prefix = typeof err.code === "string" ? `${err.code}: ` : "";
    return `${prefix}${err.response.trim()}`;
  }
  if (error instanceof Error) {
    const code = typeof err.code === "string" && !error.message.includes(err.code) ? `${err.code}: ` : "";
    return `${code}${error.message}`;
  }
  return String(error);
}

/**
 * When to try again after the given attempt (1 = the first one) failed.
 *
 * Exponential with full jitter above a floor: the ceiling doubles with every attempt up to the
 * cap, and the wait is drawn uniformly between `baseMs` and that ceiling. The jitter spreads the
 * retries of letters that failed together (one SMTP outage fails a whole batch) so they do not
 * return as one burst; the floor keeps a greylisting server from seeing an instant retry.
 */
export function nextRunAt(
  attempt: number,
  now: Date,
  { baseMs, capMs }: BackoffOptions,
  random: () => number = Math.random,
): Date {
  const floor = Math.min(baseMs, capMs);
  const exponent = Math.max(0, attempt - 1);
  // 2 ** exponent overflows to Infinity long before it matters; min() handles that.
  const ceiling = Math.min(capMs, baseMs * 2 ** exponent);
  const r = Math.min(Math.max(random(), 0), 1);
  const wait = floor + r * Math.max(0, ceiling - floor);
  return new Date(now.getTime() + Math.round(wait));
}
