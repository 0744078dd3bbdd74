// The worker's heartbeat, on both databases: a letter whose send outlasts the lease stays with the
// worker sending it, because the worker renews the lease while it works. Without the heartbeat a
// second worker would take the letter over when the lease ran out and send it again.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/db/client.server";
import { DATABASES, type TestDatabase } from "../../test/databases";
import { createDeliveryStore } from "./queue/store.server";
import { startFaultySmtpSink, type FaultySmtpSink } from "../../test/fakes/smtp";
import { recordingLogger } from "../../test/logger";
import { seedCampaign, seedLetter, seedOffice } from "../../test/seed";
import { createMailTransport, type MailTransport } from "./transport.server";
import { startWorker, type DeliveryWorker } from "./worker.server";

const LEASE_MS = 2_000;
// Eight renewals per lease: a heartbeat or two delayed by a loaded machine still keeps the claim.
const HEARTBEAT_MS = 250;
// The mail server takes three leases to answer.
const SEND_MS = 3 * LEASE_MS;

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

describe.each(DATABASES)("the heartbeat on $name", ({ open, skip }) => {
  if (skip) return void it.skip("PG_TESTS=off");
  let t: TestDatabase;
  let sink: FaultySmtpSink;
  let others: Db[];
  let transports: MailTransport[];
  let workers: DeliveryWorker[];

  beforeEach(async () => {
    t = await open();
    sink = await startFaultySmtpSink();
    others = [];
    transports = [];
    workers = [];
  });
  afterEach(async () => {
    for (const w of workers) await w.stop();
    for (const transport of transports) await transport.close();
    await sink.close();
    await Promise.all(others.map((db) => db.$disconnect()));
    await t.cleanup();
  });

  /** A worker as another process would run it: its own database client and SMTP pool. */
  function workerProcess(workerId: string, logger = recordingLogger()): DeliveryWorker {
    const db = createDb(t.url);
    others.push(db);
    const transport = createMailTransport({ smtpUrl: sink.url, outboxDir: "/nonexistent" });
    transports.push(transport);
    const w = startWorker({
      db,
      transport,
      workerId,
      mailFrom: "Sincerely <letters@coalition.example>",
      pollMs: 50,
      leaseMs: LEASE_MS,
      heartbeatMs: HEARTBEAT_MS,
      backoff: { baseMs: 20, capMs: 40 },
      logger,
    });
    workers.push(w);
    return w;
  }

  it("keeps a letter whose send outlasts the lease with its worker: another worker never takes it, it arrives once", async () => {
    const campaign = await seedCampaign(t.db);
    const office = await seedOffice(t.db, { email: "letters@cantwell.example.gov" });
    const letter = await seedLetter(t.db, { campaign, office });
    await createDeliveryStore(t.db).enqueueForLetters([letter.id]);
    const { id } = await t.db.delivery.findFirstOrThrow({ where: { letterId: letter.id } });
    sink.delayEachMessage(SEND_MS);

    const loggerA = recordingLogger();
    workerProcess("worker-a", loggerA);
    const claimed = await waitFor("worker-a to claim the letter", async () => {
      const row = await t.db.delivery.findUniqueOrThrow({ where: { id } });
      return row.leaseOwner === "worker-a" ? row : undefined;
    });
    // The second worker starts polling while worker-a waits for the mail server.
    workerProcess("worker-b");

    // Watch the row until the letter is recorded as sent (or someone else holds it): while it is
    // being sent, only worker-a ever holds it, and its lease keeps being pushed forward.
    const owners = new Set<string>();
    let latestExpiry = claimed.leaseExpiresAt!.getTime();
    const sent = await waitFor("the letter to be recorded as sent", async () => {
      const row = await t.db.delivery.findUniqueOrThrow({ where: { id } });
      if (row.leaseOwner) owners.add(row.leaseOwner);
      if (row.leaseExpiresAt) latestExpiry = Math.max(latestExpiry, row.leaseExpiresAt.getTime());
      return row.status === "sent" || owners.size > 1 ? row : undefined;
    });
    expect([...owners], "workers that held the letter").toEqual(["worker-a"]);

    // The send really did outlast the lease it started with (the sink held it three leases long): the
    // letter was recorded as sent after that lease had run out, and it was renewed meanwhile.
    expect(sent.sentAt!.getTime()).toBeGreaterThan(claimed.leaseExpiresAt!.getTime());
    expect(latestExpiry).toBeGreaterThan(claimed.leaseExpiresAt!.getTime());
    expect(sent).toMatchObject({ status: "sent", attempts: 1, leaseOwner: null });

    const attempts = await t.db.deliveryAttempt.findMany({ where: { deliveryId: id } });
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ worker: "worker-a", outcome: "sent" });
    expect(loggerA.lines.filter((l) => /not recorded as sent/.test(l.message))).toEqual([]);

    // Both workers go idle; the sink took the letter exactly once.
    await Promise.all(workers.map((w) => w.drain()));
    expect(sink.arrived.filter((a) => a.deliveryId === id)).toHaveLength(1);
    expect(sink.arrived).toHaveLength(1);
  }, 90_000);
});
