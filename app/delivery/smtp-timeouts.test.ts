// A mail server that hangs: it accepts the connection and then says nothing, or takes the whole
// message and never answers it. The worker's SMTP timeouts (set through SMTP_URL's query, which
// nodemailer reads: `smtp://host:587?greetingTimeout=…&socketTimeout=…`) turn each hang into a
// transient failure; the letter is retried, never failed, and arrives once the server answers.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseEnv } from "~/env.server";
import { createTestDb, type TestDb } from "../../test/db";
import { createDeliveryStore } from "./queue/store.server";
import { recordingLogger } from "../../test/logger";
import { seedCampaign, seedLetter, seedOffice } from "../../test/seed";
import { startWorkerFromEnv } from "./worker.server";

type Behaviour = "silent" | "stall-after-data" | "answer";

/** A real SMTP server whose behaviour the test switches: each connection or message follows the current one. */
async function startHangingSmtpServer() {
  let behaviour: Behaviour = "answer";
  /** Delivery ids of the messages the server accepted (answered 250). */
  const accepted: string[] = [];
  /** Message-IDs of the messages it read to the end but never answered. */
  const unanswered: string[] = [];
  const header = (raw: string, name: string) =>
    new RegExp(`^${name}:\\s*(.+)$`, "im").exec(raw.slice(0, raw.indexOf("\r\n\r\n")))?.[1]?.trim() ?? "";
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    // The greeting would otherwise wait for a reverse DNS lookup of 127.0.0.1.
    disableReverseLookup: true,
    closeTimeout: 1_000,
    onConnect(_session, callback) {
      // Silent: the connection is open, but the greeting never comes.
      if (behaviour !== "silent") callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        if (behaviour === "stall-after-data") return void unanswered.push(header(raw, "Message-ID"));
        accepted.push(header(raw, "X-Sincerely-Delivery"));
        callback();
      });
    },
  });
  // Clients that time out drop their connections; smtp-server reports each as an "error".
  server.on("error", () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    unanswered,
    behave(next: Behaviour) {
      behaviour = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Polls until `check` returns something other than undefined. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let t: TestDb;
let server: Awaited<ReturnType<typeof startHangingSmtpServer>>;
let stopWorker: (() => Promise<void>) | undefined;

beforeEach(async () => {
  t = await createTestDb();
  server = await startHangingSmtpServer();
  stopWorker = undefined;
});
afterEach(async () => {
  await stopWorker?.();
  await server.close();
  await t.cleanup();
});

describe("a mail server that hangs", () => {
  it.each([
    { behaviour: "silent" as const, what: "before its greeting", error: /ETIMEDOUT: Greeting never received/ },
    { behaviour: "stall-after-data" as const, what: "after reading the message", error: /ETIMEDOUT: Timeout/ },
  ])(
    "$what: each attempt times out and is retried, not failed, and the letter arrives once the server answers",
    async ({ behaviour, error }) => {
      const campaign = await seedCampaign(t.db);
      const office = await seedOffice(t.db, { email: "letters@cantwell.example.gov" });
      const letter = await seedLetter(t.db, { campaign, office });
      await createDeliveryStore(t.db).enqueueForLetters([letter.id]);
      const { id } = await t.db.delivery.findFirstOrThrow({ where: { letterId: letter.id } });
      server.behave(behaviour);

      // Configured as an operator would: nodemailer's defaults (30 s, 60 s) shortened in SMTP_URL.
      const env = parseEnv({
        NODE_ENV: "test",
        SMTP_URL: `${server.url}?connectionTimeout=5000&greetingTimeout=1000&socketTimeout=2000`,
        MAIL_FROM: "Sincerely <letters@coalition.example>",
        WORKER_POLL_MS: "20",
        WORKER_CONCURRENCY: "1",
        RETRY_BASE_MS: "50",
        RETRY_CAP_MS: "100",
      });
      const worker = startWorkerFromEnv({ db: t.db, env, logger: recordingLogger() });
      stopWorker = worker.stop;

      // Two attempts have timed out: the letter is waiting for its retry (or being retried), not failed.
      const timedOut = await waitFor("two attempts to time out", async () => {
        const attempts = await t.db.deliveryAttempt.findMany({ where: { deliveryId: id, outcome: "transient" } });
        return attempts.length >= 2 ? attempts : undefined;
      });
      for (const attempt of timedOut) expect(attempt.response).toMatch(error);
      const waiting = await t.db.delivery.findUniqueOrThrow({ where: { id } });
      expect(["queued", "sending"]).toContain(waiting.status);
      expect(waiting.lastError).toMatch(error);

      server.behave("answer");
      const sent = await waitFor("the letter to be sent", async () => {
        const row = await t.db.delivery.findUniqueOrThrow({ where: { id } });
        return row.status === "sent" ? row : undefined;
      });

      const attempts = await t.db.deliveryAttempt.findMany({ where: { deliveryId: id }, orderBy: { number: "asc" } });
      expect(attempts.at(-1)).toMatchObject({ outcome: "sent" });
      expect(attempts.slice(0, -1).every((a) => a.outcome === "transient" && error.test(a.response ?? ""))).toBe(true);
      expect(sent.attempts).toBe(attempts.length);
      expect(server.accepted).toEqual([id]);
      if (behaviour === "stall-after-data") {
        // The hung attempts did hand over the whole message: had the server kept one, the copy
        // would carry the same Message-ID as the letter that was recorded as sent.
        expect(server.unanswered.length).toBeGreaterThanOrEqual(2);
        expect(new Set(server.unanswered)).toEqual(new Set([sent.messageId]));
      }
    },
    90_000,
  );
});
