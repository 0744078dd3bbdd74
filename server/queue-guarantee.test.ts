// The queue's guarantee, proven by breaking things for real: worker processes (`npm run worker`,
// i.e. server/worker.ts) against a real database (PostgreSQL with three workers, SQLite with one)
// and a real SMTP server that refuses, greylists, goes away and comes back.
//
// What is asserted is what the offices would notice: every letter arrives (by its delivery id,
// carried in X-Sincerely-Delivery), and none twice, except after a crash, where at most the letters
// the dead worker had in flight may arrive twice. Sizes are the issue's; the workers run with short
// leases and backoff (environment knobs) so that the suite finishes in minutes.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "~/db/client.server";
import { createDeliveryStore } from "~/delivery/queue/store.server";
import { retryDeliveries } from "~/delivery/release.server";
import { startFaultySmtpSink, type FaultySmtpSink } from "../test/fakes/smtp";
import { seedCampaign, seedManyLetters, seedOffice } from "../test/seed";
import type { Office } from "~/generated/prisma/client";
import { createTestDb } from "../test/db";
import { adminQuery, createPgTestDb, pgTestsOff } from "../test/pg";

interface Subject {
  db: Db;
  url: string;
  name?: string;
  cleanup(): Promise<void>;
}

const databases = [
  { name: "PostgreSQL", open: () => createPgTestDb() as Promise<Subject>, workers: 3, skip: pgTestsOff },
  { name: "SQLite", open: () => createTestDb() as Promise<Subject>, workers: 1, skip: false },
];

/** A worker process, as `npm run worker` starts it. */
interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  output: () => string;
  exited: Promise<number | null>;
}

async function until(what: string, predicate: () => Promise<boolean>, timeoutMs: number, workers: WorkerProcess[]) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) {
      const logs = workers.map((w) => `--- worker ${w.pid}\n${w.output().slice(-3000)}`).join("\n");
      throw new Error(`timed out waiting until ${what}\n${logs}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.each(databases)("the queue on $name", ({ name, open, workers: workerCount, skip }) => {
  if (skip) return void it.skip("PG_TESTS=off");
  let t: Subject;
  let smtp: FaultySmtpSink;
  let running: WorkerProcess[] = [];

  beforeEach(async () => {
    t = await open();
    smtp = await startFaultySmtpSink();
  });
  afterEach(async () => {
    for (const w of running) w.child.kill("SIGKILL");
    await Promise.all(running.map((w) => w.exited));
    running = [];
    await smtp.close();
    await t.cleanup();
  });

  function startWorkerProcess(env: Record<string, string> = {}): WorkerProcess {
    const url =
      name === "PostgreSQL" ? `${t.url}${t.url.includes("?") ? "&" : "?"}application_name=sincerely-worker` : t.url;
    const child = spawn(process.execPath, ["--import", "tsx", "server/worker.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: url,
        SMTP_URL: smtp.url,
        MAIL_FROM: "Campaign <letters@campaign.example>",
        MAIL_REDIRECT_TO: "",
        WORKER_POLL_MS: "100",
        WORKER_BATCH_SIZE: "20",
        // Long enough that a worker slowed down by a loaded machine is not taken for dead (that
        // would allow a repeat without a crash); the SIGKILL test shortens it to get its letters back.
        WORKER_LEASE_MS: "30000",
        RETRY_BASE_MS: "100",
        RETRY_CAP_MS: "1000",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (c: Buffer) => (output += c));
    child.stderr!.on("data", (c: Buffer) => (output += c));
    const worker: WorkerProcess = {
      child,
      pid: child.pid!,
      output: () => output,
      exited: new Promise((resolve) => child.once("exit", (code) => resolve(code))),
    };
    running.push(worker);
    return worker;
  }

  /** Letters to `perOffice.length` offices, queued; returns the offices and the delivery ids. */
  async function queueLetters(perOffice: number[]): Promise<{ offices: Office[]; deliveryIds: string[] }> {
    const campaign = await seedCampaign(t.db, { mode: "live" });
    const offices: Office[] = [];
    for (const [i, count] of perOffice.entries()) {
      const office = await seedOffice(t.db, { email: `office${i}.${randomUUID().slice(0, 6)}@senate.example.gov` });
      offices.push(office);
      const letterIds = await seedManyLetters(t.db, campaign, office, count);
      await createDeliveryStore(t.db).enqueueForLetters(letterIds);
    }
    const deliveryIds = (await t.db.delivery.findMany({ select: { id: true } })).map((d) => d.id).sort();
    return { offices, deliveryIds };
  }

  /** What the workers warned about: why a letter went twice, when one did. */
  const workerWarnings = () =>
    running
      .flatMap((w) =>
        w
          .output()
          .split("\n")
          .filter((line) => /warn|error|fail/i.test(line))
          .map((l) => `${w.pid}: ${l}`),
      )
      .slice(0, 40)
      .join("\n");

  const settled = async () => (await t.db.delivery.count({ where: { status: { in: ["queued", "sending"] } } })) === 0;

  function arrivals() {
    const ids = smtp.arrived.map((a) => a.deliveryId);
    const unique = [...new Set(ids)].sort();
    return { unique, duplicates: ids.length - unique.length };
  }

  it(`${workerCount} worker process(es) and 2,000 letters: every letter arrives, none twice`, async () => {
    const { deliveryIds } = await queueLetters([500, 500, 500, 500]);
    expect(deliveryIds).toHaveLength(2000);
    for (let i = 0; i < workerCount; i += 1) startWorkerProcess();
    await until("every letter is sent", settled, 240_000, running);

    const { unique, duplicates } = arrivals();
    expect(unique).toEqual(deliveryIds);
    expect(duplicates, workerWarnings()).toBe(0);
    expect(await t.db.delivery.count({ where: { status: "sent" } })).toBe(2000);
    // One attempt per letter: no letter was ever held by two workers at once.
    expect(await t.db.deliveryAttempt.count()).toBe(2000);
    // Each letter has the Message-ID its delivery will always have (a receiver's key to drop repeats).
    expect(smtp.arrived.every((a) => a.messageId === `<delivery.${a.deliveryId}@campaign.example>`)).toBe(true);
    if (workerCount > 1) {
      // The work was shared, not done by one worker while the others idled.
      const byWorker = await t.db.deliveryAttempt.groupBy({ by: ["worker"], _count: { _all: true } });
      expect(byWorker).toHaveLength(workerCount);
    }
  }, 300_000);

  it("a worker killed with SIGKILL mid-batch, five times: every letter arrives, repeats at most the letters in flight", async () => {
    const { deliveryIds } = await queueLetters([250, 250, 250, 250]);
    smtp.delayEachMessage(5);
    // Dead workers' letters come back when their leases run out: short leases keep the test short.
    const shortLease = { WORKER_LEASE_MS: "3000" };
    for (let i = 0; i < workerCount; i += 1) startWorkerProcess(shortLease);

    let inFlightAtKills = 0;
    for (let kill = 0; kill < 5; kill += 1) {
      const victim = running.find((w) => w.child.exitCode === null && w.child.signalCode === null)!;
      const owner = { contains: `:${victim.pid}:` };
      // Mid-batch: it has sent letters of this claim and holds more.
      await until(
        `worker ${victim.pid} is in the middle of a batch`,
        async () =>
          (await t.db.delivery.count({ where: { status: "sending", leaseOwner: owner } })) >= 2 &&
          (await t.db.deliveryAttempt.count({ where: { worker: owner, outcome: "sent" } })) > 0,
        60_000,
        running,
      );
      victim.child.kill("SIGKILL");
      await victim.exited;
      running = running.filter((w) => w !== victim);
      // What it held when it died: claimed, perhaps sent, not recorded. Only these may repeat.
      inFlightAtKills += await t.db.delivery.count({ where: { status: "sending", leaseOwner: owner } });
      startWorkerProcess(shortLease);
    }

    await until("every letter is sent", settled, 240_000, running);
    const { unique, duplicates } = arrivals();
    console.info(
      `[guarantee] ${name}: 5 SIGKILLs, ${inFlightAtKills} letters in flight at the kills, ${duplicates} delivered twice`,
    );
    expect(unique).toEqual(deliveryIds);
    expect(await t.db.delivery.count({ where: { status: "sent" } })).toBe(1000);
    expect(duplicates).toBeLessThanOrEqual(inFlightAtKills);
    // Every repeat has the same Message-ID as the first copy: the receiver can drop it.
    const idsByDelivery = new Map<string, Set<string>>();
    for (const a of smtp.arrived)
      idsByDelivery.set(a.deliveryId, (idsByDelivery.get(a.deliveryId) ?? new Set()).add(a.messageId));
    expect([...idsByDelivery.values()].every((ids) => ids.size === 1)).toBe(true);
  }, 300_000);

  it("451 to 30% of messages: every letter arrives in the end, once", async () => {
    const { deliveryIds } = await queueLetters([100, 100, 100]);
    smtp.failTransiently(0.3);
    for (let i = 0; i < workerCount; i += 1) startWorkerProcess();
    await until("every letter is sent", settled, 180_000, running);

    const { unique, duplicates } = arrivals();
    expect(smtp.transientRefusals).toBeGreaterThan(30);
    expect(unique).toEqual(deliveryIds);
    expect(duplicates, workerWarnings()).toBe(0);
    expect(await t.db.delivery.count({ where: { status: "sent" } })).toBe(300);
    // The refusals were retried, and the log says so.
    expect(await t.db.deliveryAttempt.count({ where: { outcome: "transient" } })).toBe(smtp.transientRefusals);
  }, 240_000);

  it("550 for one office: its letters fail with the reason, the others arrive", async () => {
    const { offices, deliveryIds } = await queueLetters([60, 60, 60]);
    const refused = offices[1]!;
    smtp.refuse(refused.email!, 550, "5.1.1 Mailbox unavailable");
    for (let i = 0; i < workerCount; i += 1) startWorkerProcess();
    await until("every letter is settled", settled, 180_000, running);

    const failed = await t.db.delivery.findMany({ where: { status: "failed" } });
    expect(failed).toHaveLength(60);
    expect(failed.every((d) => d.officeId === refused.id)).toBe(true);
    expect(failed.every((d) => /550/.test(d.lastError ?? "") && /Mailbox unavailable/.test(d.lastError ?? ""))).toBe(
      true,
    );
    // A permanent refusal is not retried.
    expect(failed.every((d) => d.attempts === 1)).toBe(true);
    const { unique, duplicates } = arrivals();
    const failedIds = new Set(failed.map((d) => d.id));
    expect(unique).toEqual(deliveryIds.filter((id) => !failedIds.has(id)));
    expect(duplicates).toBe(0);
    expect(smtp.arrived.some((a) => a.to.includes(refused.email!))).toBe(false);

    // Once the office's server is mended, an organizer re-drives them (`npm run deliveries:retry`): they arrive.
    smtp.accept(refused.email!);
    expect(await retryDeliveries(t.db, "failed")).toBe(60);
    await until("the re-driven letters are sent", settled, 120_000, running);
    expect(arrivals().unique).toEqual(deliveryIds);
    expect(arrivals().duplicates).toBe(0);
  }, 240_000);

  it("the SMTP server away while letters are retried into it: the backlog drains after it returns", async () => {
    const { deliveryIds } = await queueLetters([150, 150]);
    smtp.delayEachMessage(5);
    // Retries spaced so that ten attempts outlast the outage (the default spacing is far longer).
    for (let i = 0; i < workerCount; i += 1) startWorkerProcess({ RETRY_BASE_MS: "1500", RETRY_CAP_MS: "4000" });
    await until("some letters went out", async () => smtp.arrived.length >= 20, 60_000, running);
    await smtp.stop();
    const arrivedBefore = smtp.arrived.length;
    // Away until letters have met the outage on a retry too (tried, refused, tried again, refused):
    // to the workers, the server was away for a while, not a blip.
    await until(
      "letters were tried again while the server was away, and refused again",
      async () => (await t.db.delivery.count({ where: { status: "queued", attempts: { gte: 2 } } })) > 0,
      60_000,
      running,
    );
    expect(smtp.arrived.length).toBe(arrivedBefore);
    const backlog = await t.db.delivery.count({ where: { status: { in: ["queued", "sending"] } } });
    expect(backlog).toBeGreaterThan(0);
    await smtp.start();
    await until("the backlog drained", settled, 180_000, running);

    const { unique } = arrivals();
    expect(unique).toEqual(deliveryIds);
    expect(await t.db.delivery.count({ where: { status: "sent" } })).toBe(300);
    expect(await t.db.deliveryAttempt.count({ where: { outcome: "transient" } })).toBeGreaterThan(0);
  }, 240_000);

  it(`OFFICE_RATE_PER_MINUTE holds across ${workerCount} worker process(es)`, async () => {
    const { offices } = await queueLetters([40, 40]);
    for (let i = 0; i < workerCount; i += 1) startWorkerProcess({ OFFICE_RATE_PER_MINUTE: "15" });
    await until("each office got its minute's letters", async () => smtp.arrived.length >= 30, 60_000, running);
    // The workers keep polling; within the same minute no office gets a sixteenth letter. Proof that
    // they had their chance: letters to a third office, queued after all of those, arrive. A claim
    // takes the oldest due letters first, so a claim that broke the two offices' budget would have
    // sent their letters before these.
    const {
      offices: [later],
    } = await queueLetters([5]);
    const laterArrived = () => smtp.arrived.filter((a) => a.to.includes(later!.email!)).length;
    await until("the later office's letters arrived", async () => laterArrived() === 5, 60_000, running);
    for (const office of offices) {
      expect(smtp.arrived.filter((a) => a.to.includes(office.email!))).toHaveLength(15);
    }
    expect(await t.db.delivery.count({ where: { status: "queued" } })).toBe(50);
  }, 120_000);

  it("SIGTERM mid-batch: the worker finishes the letter in hand, gives back the rest at once, exits 0", async () => {
    const { deliveryIds } = await queueLetters([100]);
    smtp.delayEachMessage(20);
    const worker = startWorkerProcess({ WORKER_LEASE_MS: "600000" });
    const owner = { contains: `:${worker.pid}:` };
    await until(
      "the worker is in the middle of a batch",
      async () =>
        (await t.db.delivery.count({ where: { status: "sending", leaseOwner: owner } })) >= 5 &&
        (await t.db.deliveryAttempt.count({ where: { worker: owner, outcome: "sent" } })) > 0,
      60_000,
      running,
    );
    worker.child.kill("SIGTERM");
    expect(await worker.exited, worker.output()).toBe(0);
    running = running.filter((w) => w !== worker);
    // Nothing waits for a ten-minute lease: what it held is queued again, its claim not counted.
    expect(await t.db.delivery.count({ where: { status: "sending" } })).toBe(0);
    const released = await t.db.delivery.findMany({ where: { status: "queued" } });
    expect(released.length).toBeGreaterThan(0);
    expect(released.every((d) => d.attempts === 0 && d.leaseOwner === null)).toBe(true);

    startWorkerProcess();
    await until("every letter is sent", settled, 120_000, running);
    const { unique, duplicates } = arrivals();
    expect(unique).toEqual(deliveryIds);
    expect(duplicates).toBe(0);
  }, 180_000);

  it.runIf(name === "PostgreSQL")(
    "the database connections of the workers are cut three times: they reconnect and go on",
    async () => {
      const { deliveryIds } = await queueLetters([200, 200, 200]);
      smtp.delayEachMessage(5);
      for (let i = 0; i < workerCount; i += 1) startWorkerProcess();
      let terminated = 0;
      for (let cut = 0; cut < 3; cut += 1) {
        const sentBefore = smtp.arrived.length;
        await until("letters are going out", async () => smtp.arrived.length > sentBefore + 30, 60_000, running);
        const rows = await adminQuery<{ ok: boolean }>(
          `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
            WHERE datname = $1 AND application_name = 'sincerely-worker'`,
          [t.name],
        );
        terminated += rows.filter((r) => r.ok).length;
      }
      expect(terminated).toBeGreaterThan(0);
      await until("every letter is sent", settled, 180_000, running);

      const { unique } = arrivals();
      expect(unique).toEqual(deliveryIds);
      // The same processes carried on: none of them died of the dropped connections.
      expect(running).toHaveLength(workerCount);
      expect(running.every((w) => w.child.exitCode === null && w.child.signalCode === null)).toBe(true);
    },
    240_000,
  );
});
