// A fake of Lob's letters API for tests: a real HTTP server on 127.0.0.1 that checks what Lob
// checks and answers in Lob's shapes, so the print channel is tested over the wire without mocks.
//
// What it holds to (from Lob's API reference): HTTP Basic auth with the secret key as the user
// name; POST /v1/letters with `to`, `from` (US name-or-company plus address fields, names and
// companies at most 40 characters, address lines at most 64, ZIP 12345 or 12345-6789), `file` (an
// HTML string of at most 10,000 characters), `color` (boolean), `use_type` (marketing or
// operational); an Idempotency-Key that answers the same letter for the same key; errors as
// `{"error": {"message", "status_code", "code"}}`. Switches make it answer 401, 403, 422, 429,
// 500 or slowly, the way Lob does when a key is wrong, a request is refused or Lob is busy.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeLobLetter {
  id: string;
  idempotencyKey: string | null;
  /** The key's kind: a test key's letters are never "printed". */
  mode: "test" | "live";
  body: Record<string, unknown>;
  answer: Record<string, unknown>;
}

export interface FakeLobRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  /** The parsed JSON body, or null when it was not JSON. */
  body: unknown;
  status: number;
}

/** The next answers, in order, instead of the normal one; each is used once. */
export type FakeLobFailure =
  | { status: 401 | 403; message?: string }
  | { status: 422 | 400 | 404; message: string; code?: string }
  | { status: 429; retryAfter?: string }
  | { status: 500 | 502 | 503 }
  | { delayMs: number; then?: "answer" };

export interface FakeLob {
  url: string;
  /** The keys the fake knows; any other is answered 401. */
  keys: { test: string; live: string };
  requests: FakeLobRequest[];
  /** Letters made, one per idempotency key (or per request without one). */
  letters: FakeLobLetter[];
  /** Letters a live key made: what would have been printed and posted. */
  printed(): FakeLobLetter[];
  /** Queues answers for the next requests (see FakeLobFailure). */
  failNext(...failures: FakeLobFailure[]): void;
  close(): Promise<void>;
}

const FILE_MAX = 10_000;
const NAME_MAX = 40;
const LINE_MAX = 64;

export async function startFakeLob(): Promise<FakeLob> {
  const keys = { test: `test_${randomBytes(12).toString("hex")}`, live: `live_${randomBytes(12).toString("hex")}` };
  const requests: FakeLobRequest[] = [];
  const letters: FakeLobLetter[] = [];
  const byKey = new Map<string, FakeLobLetter>();
  const failures: FakeLobFailure[] = [];
  /** Keys whose first request is still being answered. */
  const inFlight = new Set<string>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void handle(req, res, Buffer.concat(chunks).toString("utf8")).catch((error: unknown) => {
        if (!res.headersSent) sendError(res, 500, String(error), "internal_server_error");
      });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, raw: string) {
    const path = (req.url ?? "/").split("?")[0];
    const body = parseJson(raw);
    const record: FakeLobRequest = { method: req.method ?? "", path, headers: req.headers, body, status: 0 };
    requests.push(record);
    const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      if (!res.destroyed) {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(json));
      }
    };
    const error = (status: number, message: string, code: string, headers: Record<string, string> = {}) =>
      answer(status, { error: { message, status_code: status, code } }, headers);

    const key = headerValue(req.headers["idempotency-key"]);
    const slot = key === null ? null : `${keyMode(req.headers.authorization, keys)}:${key}`;
    // A second request while the first with its key is unanswered must not make a second letter.
    // (Lob's documentation does not say what it answers then; 409 is this fake's assumption.)
    if (slot !== null && inFlight.has(slot))
      return error(409, "A request with this idempotency key is in progress.", "conflict");

    const failure = failures.shift();
    if (failure && "delayMs" in failure) {
      if (slot !== null) inFlight.add(slot);
      await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
      if (slot !== null) inFlight.delete(slot);
    } else if (failure) {
      switch (failure.status) {
        case 401:
          return error(
            401,
            failure.message ?? "Your API key is not valid. Please sign up on lob.com to get a valid api key.",
            "unauthorized",
          );
        case 403:
          return error(403, failure.message ?? "This API key does not have access to this resource.", "forbidden");
        case 429:
          return error(
            429,
            "Rate limit exceeded. Please wait and try your request again.",
            "rate_limit_exceeded",
            failure.retryAfter ? { "retry-after": failure.retryAfter } : {},
          );
        case 500:
        case 502:
        case 503:
          return error(failure.status, "An internal server error occurred.", "internal_server_error");
        default:
          return error(
            failure.status,
            failure.message,
            failure.code ?? (failure.status === 404 ? "not_found" : "invalid"),
          );
      }
    }

    const mode = keyMode(req.headers.authorization, keys);
    if (!mode) return error(401, "Your API key is not valid.", "unauthorized");
    if (req.method !== "POST" || path !== "/v1/letters")
      return error(404, `${req.method} ${path} was not found.`, "not_found");
    if (!/^application\/json\b/.test(req.headers["content-type"] ?? ""))
      return error(422, "The request body must be JSON here.", "invalid");
    if (!body || typeof body !== "object" || Array.isArray(body))
      return error(400, "The request body is not a JSON object.", "bad_request");

    if (key !== null && key.length > 256)
      return error(422, "idempotency key must be at most 256 characters", "invalid");
    const known = slot !== null ? byKey.get(slot) : undefined;
    if (known) return answer(200, known.answer);

    const problem = validateLetter(body as Record<string, unknown>);
    if (problem) return error(422, problem, "invalid");

    const letter = makeLetter(body as Record<string, unknown>, key, mode);
    letters.push(letter);
    if (slot !== null) byKey.set(slot, letter);
    return answer(200, letter.answer);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    keys,
    requests,
    letters,
    printed: () => letters.filter((l) => l.mode === "live"),
    failNext: (...next) => failures.push(...next),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function keyMode(authorization: string | undefined, keys: { test: string; live: string }): "test" | "live" | null {
  const match = /^Basic (.+)$/i.exec(authorization ?? "");
  if (!match) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0 || decoded.slice(colon + 1) !== "") return null;
  const key = decoded.slice(0, colon);
  return key === keys.test ? "test" : key === keys.live ? "live" : null;
}

/** Lob's checks on a letter, as far as this project's requests can meet them; the first failure's message. */
export function validateLetter(body: Record<string, unknown>): string | null {
  for (const field of ["to", "from", "file"]) if (body[field] === undefined) return `${field} is required`;
  for (const side of ["to", "from"] as const) {
    const problem = validateAddress(side, body[side]);
    if (problem) return problem;
  }
  if (typeof body.file !== "string" || body.file === "") return "file must be a string";
  if (body.file.length > FILE_MAX) return `file must be at most ${FILE_MAX} characters when given as an HTML string`;
  if (body.color !== undefined && typeof body.color !== "boolean") return "color must be a boolean";
  if (body.double_sided !== undefined && typeof body.double_sided !== "boolean")
    return "double_sided must be a boolean";
  if (body.use_type === undefined) return "use_type is required";
  if (body.use_type !== "marketing" && body.use_type !== "operational")
    return "use_type must be one of [marketing, operational]";
  if (
    body.address_placement !== undefined &&
    !["top_first_page", "insert_blank_page", "bottom_first_page", "bottom_first_page_center"].includes(
      String(body.address_placement),
    )
  )
    return "address_placement must be one of [top_first_page, insert_blank_page, bottom_first_page, bottom_first_page_center]";
  if (typeof body.description === "string" && body.description.length > 255)
    return "description must be at most 255 characters";
  return null;
}

function validateAddress(side: string, value: unknown): string | null {
  if (!value || typeof value !== "object" || Array.isArray(value)) return `${side} must be an object`;
  const a = value as Record<string, unknown>;
  if (!a.name && !a.company) return `${side}.name or ${side}.company is required`;
  for (const field of ["name", "company"]) {
    if (a[field] !== undefined && (typeof a[field] !== "string" || (a[field] as string).length > NAME_MAX))
      return `${side}.${field} must be a string of at most ${NAME_MAX} characters`;
  }
  for (const field of ["address_line1", "address_city", "address_state", "address_zip"]) {
    if (typeof a[field] !== "string" || (a[field] as string).trim() === "") return `${side}.${field} is required`;
  }
  for (const field of ["address_line1", "address_line2"]) {
    if (a[field] !== undefined && (typeof a[field] !== "string" || (a[field] as string).length > LINE_MAX))
      return `${side}.${field} must be at most ${LINE_MAX} characters`;
  }
  if (!/^[A-Z]{2}$/.test(a.address_state as string))
    return `${side}.address_state must be a 2 letter state short-name code`;
  if (!/^\d{5}(-\d{4})?$/.test(a.address_zip as string))
    return `${side}.address_zip must follow the ZIP format of 12345 or ZIP+4 format of 12345-1234`;
  return null;
}

function makeLetter(body: Record<string, unknown>, key: string | null, mode: "test" | "live"): FakeLobLetter {
  const id = `ltr_${randomBytes(8).toString("hex")}`;
  const now = new Date();
  const expected = new Date(now.getTime() + 5 * 24 * 60 * 60 * 1000);
  const withId = (address: unknown) => ({
    id: `adr_${randomBytes(8).toString("hex")}`,
    ...(address as object),
    object: "address",
  });
  const answer = {
    id,
    description: body.description ?? null,
    metadata: body.metadata ?? {},
    to: withId(body.to),
    from: withId(body.from),
    color: body.color ?? false,
    double_sided: body.double_sided ?? true,
    address_placement: body.address_placement ?? "top_first_page",
    use_type: body.use_type,
    mail_type: "usps_first_class",
    url: `https://lob-assets.example/letters/${id}.pdf`,
    expected_delivery_date: expected.toISOString().slice(0, 10),
    date_created: now.toISOString(),
    date_modified: now.toISOString(),
    send_date: now.toISOString(),
    object: "letter",
  };
  return { id, idempotencyKey: key, mode, body, answer };
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

function sendError(res: ServerResponse, status: number, message: string, code: string) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: { message, status_code: status, code } }));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
