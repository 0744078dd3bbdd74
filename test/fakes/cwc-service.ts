// What the fake House and Senate CWC services share: an HTTP server on 127.0.0.1, the API key
// check, the switches a test flips (the next answers, slow answers, the office list), the record
// of what arrived, and validation of every message against the bundled CWC RELAX NG schema.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { validateXML } from "xmllint-wasm";

const SCHEMA_PATH = new URL("../../prisma/data/cwc/cwc_schema_v2.rng", import.meta.url);
export const CWC_SCHEMA = readFileSync(SCHEMA_PATH, "utf8");

/**
 * Validates CWC messages against a RELAX NG schema. xmllint-wasm compiles the schema on every
 * call (about 0.2 s), so messages that arrive while a check runs are checked together in the
 * next call, one file each.
 */
export class SchemaChecker {
  private waiting: Array<{ xml: string; resolve: (errors: string[]) => void; reject: (e: unknown) => void }> = [];
  private running: Promise<void> | null = null;
  constructor(private readonly schema: string) {}

  /** The schema's complaints about `xml`; empty when it is valid. */
  errors(xml: string): Promise<string[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ xml, resolve, reject });
      this.running ??= this.drain();
    });
  }

  /** Many messages in one xmllint run: the complaints per message, in order. */
  async errorsOfAll(xmls: string[]): Promise<string[][]> {
    const files = xmls.map((contents, i) => ({ fileName: `message-${i}.xml`, contents }));
    const result = await validateXML({
      xml: files,
      schema: [{ fileName: "cwc.rng", contents: this.schema }],
      extension: "relaxng",
    });
    const perFile = files.map((file) =>
      result.errors
        .filter((e) => e.loc?.fileName === file.fileName || e.rawMessage.startsWith(`${file.fileName} `))
        .map((e) => e.message),
    );
    // Never report "valid" for a file because its complaint could not be placed.
    if (!result.valid && perFile.every((errors) => errors.length === 0)) return files.map(() => [result.rawOutput]);
    return perFile;
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0);
      try {
        const errors = await this.errorsOfAll(batch.map((b) => b.xml));
        batch.forEach((b, i) => b.resolve(errors[i]));
      } catch (error) {
        batch.forEach((b) => b.reject(error));
      }
    }
    this.running = null;
  }
}

/** An answer a test forces instead of the service's usual one. */
export type ForcedAnswer =
  | { status: 400; errors?: string[] }
  | { status: 401 | 403 | 409 | 415 | 500 | 502 | 503 }
  | { status: 429; retryAfterSeconds?: number };

/** One message as the fake received it. */
export interface ReceivedMessage {
  path: string;
  apiKey: string | null;
  contentType: string | null;
  xml: string;
  deliveryId: string | null;
  memberOffice: string | null;
  prefix: string | null;
  /** The schema's complaints; empty when the message is valid. */
  schemaErrors: string[];
  /** The status the fake answered. */
  status: number;
}

/** The text of the first `<name>` element of a message, unescaped; null when absent. */
export function elementText(xml: string, name: string): string | null {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  if (!match) return null;
  return match[1]
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#([0-9]+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&amp;/g, "&");
}

export interface FakeAnswer {
  status: number;
  body: string;
  contentType: string;
  headers?: Record<string, string>;
}

/** The state and plumbing both fakes have; each fake routes its own paths. */
export abstract class FakeCwcService {
  /** The key the fake accepts; set another to answer as a wrong key does. */
  apiKey = "test-key";
  /** Milliseconds to wait before answering anything. */
  delayMs = 0;
  readonly received: ReceivedMessage[] = [];
  officeListRequests = 0;
  /** DeliveryIds accepted, with how many times each arrived. */
  readonly deliveryIds = new Map<string, number>();
  private forced: ForcedAnswer[] = [];
  private server: Server | null = null;
  url = "";

  constructor(protected readonly checker: SchemaChecker) {}

  /** Back to a fresh service's state (the office lists stay as set). */
  async reset(): Promise<void> {
    await this.settled();
    this.apiKey = "test-key";
    this.delayMs = 0;
    this.received.length = 0;
    this.officeListRequests = 0;
    this.deliveryIds.clear();
    this.forced = [];
  }

  /** The next messages get these answers, in order, whatever they contain. */
  answerNext(...answers: ForcedAnswer[]): void {
    this.forced.push(...answers);
  }

  protected takeForced(): ForcedAnswer | undefined {
    return this.forced.shift();
  }

  protected abstract route(request: IncomingMessage, url: URL, body: string): Promise<FakeAnswer>;

  /** Records a message with what the schema says of it. */
  protected async receive(request: IncomingMessage, url: URL, body: string): Promise<ReceivedMessage> {
    const message: ReceivedMessage = {
      path: url.pathname,
      apiKey: url.searchParams.get("apikey"),
      contentType: request.headers["content-type"] ?? null,
      xml: body,
      deliveryId: elementText(body, "DeliveryId"),
      memberOffice: elementText(body, "MemberOffice"),
      prefix: elementText(body, "Prefix"),
      schemaErrors: await this.checker.errors(body),
      status: 0,
    };
    this.received.push(message);
    return message;
  }

  protected keyIsRight(url: URL): boolean {
    return url.searchParams.get("apikey") === this.apiKey;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => this.track(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  private readonly handling = new Set<Promise<void>>();

  /** Resolves when every request that arrived has been answered (a slow one outlives its client). */
  async settled(): Promise<void> {
    while (this.handling.size > 0) await Promise.all([...this.handling]);
  }

  private track(request: IncomingMessage, response: ServerResponse): void {
    const handled = this.handle(request, response).finally(() => this.handling.delete(handled));
    this.handling.add(handled);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(request.url ?? "/", this.url);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (response.destroyed) return;
    try {
      const answer = await this.route(request, url, body);
      response.writeHead(answer.status, { "Content-Type": answer.contentType, ...answer.headers });
      response.end(answer.body);
    } catch (error) {
      response.writeHead(500, { "Content-Type": "text/plain" });
      response.end(`fake failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** A forced answer's usual headers. */
export function forcedHeaders(forced: ForcedAnswer): Record<string, string> | undefined {
  return forced.status === 429 && forced.retryAfterSeconds !== undefined
    ? { "Retry-After": String(forced.retryAfterSeconds) }
    : undefined;
}
