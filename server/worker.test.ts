// `npm run worker` as its own process: it sends what is queued to a real SMTP server and,
// on SIGTERM, stops cleanly (exit 0) without losing or repeating a letter.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestDb, type TestDb } from "../test/db";
import { createDeliveryStore } from "~/delivery/queue/store.server";
import { startSmtpSink, type SmtpSink } from "../test/fakes/smtp";
import { seedCampaign, seedManyLetters, seedOffice } from "../test/seed";

let t: TestDb;
let smtp: SmtpSink;
beforeAll(async () => {
  t = await createTestDb();
  smtp = await startSmtpSink();
});
afterAll(async () => {
  await smtp.close();
  await t.cleanup();
});

async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("the standalone worker delivers the queue and stops cleanly on SIGTERM", async () => {
  const campaign = await seedCampaign(t.db, { mode: "test", testInbox: "inbox@campaign.example" });
  const office = await seedOffice(t.db);
  const letterIds = await seedManyLetters(t.db, campaign, office, 25);
  await createDeliveryStore(t.db).enqueueForLetters(letterIds);

  const worker = spawn(process.execPath, ["--import", "tsx", "server/worker.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: t.url,
      SMTP_URL: smtp.url,
      MAIL_FROM: "Campaign <letters@campaign.example>",
      MAIL_REDIRECT_TO: "",
      WORKER_POLL_MS: "100",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  worker.stdout.on("data", (c: Buffer) => (output += c));
  worker.stderr.on("data", (c: Buffer) => (output += c));
  const exited = new Promise<number | null>((resolve) => worker.once("exit", (code) => resolve(code)));

  try {
    await until(async () => (await t.db.delivery.count({ where: { status: "sent" } })) === 25);
  } catch {
    worker.kill("SIGKILL");
    throw new Error(`the worker did not deliver the queue:\n${output}`);
  }
  worker.kill("SIGTERM");
  expect(await exited, output).toBe(0);

  const ids = smtp.received.map((m) => m.mail.headers.get("x-sincerely-delivery"));
  expect(new Set(ids).size).toBe(25);
  expect(smtp.received).toHaveLength(25);
  expect(smtp.received.every((m) => m.envelope.to.join() === "inbox@campaign.example")).toBe(true);
  expect(await t.db.deliveryAttempt.count({ where: { outcome: "sent" } })).toBe(25);
});

test("a channel switched on without the vendor's details stops the worker's start, naming the variables", async () => {
  const worker = spawn(process.execPath, ["--import", "tsx", "server/worker.ts"], {
    env: { ...process.env, DATABASE_URL: t.url, SCWC_API_KEY: "senate-key", CWC_DELIVERY_AGENT: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  worker.stdout.on("data", (c: Buffer) => (output += c));
  worker.stderr.on("data", (c: Buffer) => (output += c));
  const code = await new Promise<number | null>((resolve) => worker.once("exit", (c) => resolve(c)));
  expect(code, output).toBe(1);
  expect(output).toMatch(/CWC_DELIVERY_AGENT: is required when CWC_HOUSE_API_KEY or SCWC_API_KEY is set/);
  expect(output).toMatch(/CWC_CONTACT_PHONE: is required/);
});
