// The claim on both databases: concurrent claimers never share a delivery, an expired lease comes
// back, a paused campaign waits, and the per-office rate holds however many workers claim at once.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb, dbProvider, type Db } from "~/db/client.server";
import { DATABASES, type TestDatabase } from "../../test/databases";
import { claimSupporterEmails } from "~/delivery/supporter-email/queue.sql.server";
import { sendDueSupporterEmails } from "~/delivery/supporter-email/queue.server";
import { contentOf } from "~/campaigns/supporter-mail.server";
import { createDeliveryStore, PostgresDeliveryStore, SqliteDeliveryStore } from "./queue/store.server";
import { startSmtpSink } from "../../test/fakes/smtp";
import { recordingLogger } from "../../test/logger";
import { seedCampaign, seedManyLetters, seedOffice } from "../../test/seed";
import { createMailTransport } from "./transport.server";

describe.each(DATABASES)("claiming on $name", ({ name, open, skip }) => {
  if (skip) return void it.skip("PG_TESTS=off");
  let t: TestDatabase;
  const others: Db[] = [];
  beforeEach(async () => {
    t = await open();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(others.splice(0).map((db) => db.$disconnect()));
    await t.cleanup();
  });

  /** Another client of the same database: its own connections, like another worker process. */
  function anotherClient(): Db {
    const db = createDb(t.url);
    others.push(db);
    return db;
  }

  async function queue(count: number, campaignFields: { paused?: boolean } = {}) {
    const campaign = await seedCampaign(t.db);
    if (campaignFields.paused) await t.db.campaign.update({ where: { id: campaign.id }, data: { paused: true } });
    const office = await seedOffice(t.db);
    const ids = await seedManyLetters(t.db, campaign, office, count);
    await createDeliveryStore(t.db).enqueueForLetters(ids, { runAt: new Date(Date.now() - 1000) });
    return { campaign, office };
  }

  /** How many sessions of this PostgreSQL database are waiting for a lock of the kind ("relation", "advisory"). */
  async function waitingForLock(kind: "relation" | "advisory"): Promise<number> {
    const [{ n }] = await t.db.$queryRaw<Array<{ n: number }>>`
      SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = ${kind}`;
    return n;
  }

  /**
   * Starts `count` claims so that they really run at the same moment. On PostgreSQL they start
   * behind a lock on the table, which is released only once every one of them is waiting for it
   * (they overlapped, asserted); on a loaded machine they would otherwise often run one after the
   * other. SQLite runs one writer at a time: its claims from several clients cannot overlap, and
   * what is checked there is that claims from separate connections never share a delivery.
   */
  async function allAtOnce<T>(count: number, claims: () => Promise<T>): Promise<T> {
    if (name !== "PostgreSQL") return claims();
    let started: Promise<T> | undefined;
    await t.db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe(`LOCK TABLE "Delivery" IN EXCLUSIVE MODE`);
        started = claims();
        started.catch(() => {}); // awaited below; a failure is reported there
        await expect.poll(() => waitingForLock("relation"), { timeout: 20_000, interval: 10 }).toBe(count);
      },
      { timeout: 30_000 },
    );
    return started!;
  }

  it("uses the store for its database, also inside a transaction", async () => {
    const expected = name === "PostgreSQL" ? PostgresDeliveryStore : SqliteDeliveryStore;
    expect(createDeliveryStore(t.db)).toBeInstanceOf(expected);
    await t.db.$transaction(async (tx) => {
      expect(dbProvider(tx)).toBe(name === "PostgreSQL" ? "postgresql" : "sqlite");
    });
  });

  it("never hands one delivery to two claimers racing for it", async () => {
    await queue(120);
    const claimers = Array.from({ length: 6 }, (_, i) => ({
      id: `worker-${i}`,
      store: createDeliveryStore(anotherClient()),
    }));
    const held = new Map<string, string>();
    // Rounds of simultaneous claims until the queue is empty.
    for (let round = 0; round < 20; round += 1) {
      const batches = await allAtOnce(claimers.length, () =>
        Promise.all(
          claimers.map(async (c) => ({
            c,
            batch: await c.store.claim({ workerId: c.id, limit: 7, leaseMs: 60_000 }),
          })),
        ),
      );
      for (const { c, batch } of batches) {
        for (const d of batch) {
          expect(held.get(d.id), `delivery ${d.id} claimed twice`).toBeUndefined();
          held.set(d.id, c.id);
        }
      }
      if (batches.every((b) => b.batch.length === 0)) break;
    }
    expect(held.size).toBe(120);
    const rows = await t.db.delivery.findMany({ select: { id: true, leaseOwner: true, status: true, attempts: true } });
    expect(rows.every((r) => r.status === "sending" && r.attempts === 1 && r.leaseOwner === held.get(r.id))).toBe(true);
  });

  it("never hands one supporter e-mail to two claimers, and gives a dead claimer's back after its lease", async () => {
    const campaign = await seedCampaign(t.db);
    const office = await seedOffice(t.db);
    await seedManyLetters(t.db, campaign, office, 30);
    const signatures = await t.db.signature.findMany({ select: { id: true } });
    await t.db.supporterEmail.createMany({
      data: signatures.map((s) => ({ signatureId: s.id, kind: "already_signed", content: "{}" })),
    });
    const claimers = Array.from({ length: 4 }, (_, i) => ({ id: `w${i}`, db: anotherClient() }));
    const held = new Map<string, string>();
    for (let round = 0; round < 10; round += 1) {
      const batches = await Promise.all(
        claimers.map(async (c) => ({
          c,
          ids: await claimSupporterEmails(c.db, { workerId: c.id, limit: 4, leaseMs: 5_000 }),
        })),
      );
      for (const { c, ids } of batches) {
        for (const id of ids) {
          expect(held.get(id), `supporter e-mail ${id} claimed twice`).toBeUndefined();
          held.set(id, c.id);
        }
      }
    }
    expect(held.size).toBe(30);
    // Nobody settled them: once the leases run out, they come back, all of them, once.
    const later = new Date(Date.now() + 6_000);
    const again = await claimSupporterEmails(t.db, { workerId: "next", limit: 100, leaseMs: 5_000, now: later });
    expect(again.sort()).toEqual([...held.keys()].sort());
    expect(await claimSupporterEmails(t.db, { workerId: "next", limit: 100, leaseMs: 5_000, now: later })).toEqual([]);
  });

  it("records a sent supporter e-mail only while its lease holds, and drops its token", async () => {
    const campaign = await seedCampaign(t.db);
    const office = await seedOffice(t.db);
    await seedManyLetters(t.db, campaign, office, 3);
    const signatures = await t.db.signature.findMany({ select: { id: true } });
    await t.db.supporterEmail.createMany({
      data: signatures.map((s) => ({
        signatureId: s.id,
        kind: "already_signed",
        content: contentOf(campaign, []),
        token: "secret",
      })),
    });
    const sink = await startSmtpSink();
    const transport = createMailTransport({ smtpUrl: sink.url, outboxDir: "/nonexistent" });
    try {
      const before = Date.now();
      // The second e-mail's lease is lost while it is out (another worker took it over).
      const [, stolen] = await t.db.supporterEmail.findMany({ orderBy: [{ runAt: "asc" }, { id: "asc" }] });
      const stealing: typeof transport = {
        ...transport,
        async send(id, message) {
          if (id.endsWith(stolen.id)) {
            await t.db.supporterEmail.update({ where: { id: stolen.id }, data: { leaseOwner: "other" } });
          }
          return transport.send(id, message);
        },
      };
      await sendDueSupporterEmails(t.db, {
        transport: stealing,
        mailFrom: "Sincerely <letters@coalition.example>",
        workerId: "mine",
        limit: 10,
        leaseMs: 10_000,
        backoff: { baseMs: 20, capMs: 40 },
        logger: recordingLogger(),
        concurrency: 2,
      });
      const emails = await t.db.supporterEmail.findMany();
      expect(sink.received).toHaveLength(3);
      const kept = emails.filter((e) => e.id !== stolen.id);
      for (const email of kept) {
        expect(email).toMatchObject({ status: "sent", token: null, leaseOwner: null, leaseExpiresAt: null });
        // Read back through Prisma as a Date of this moment (not shifted by a time zone).
        expect(Math.abs(email.sentAt!.getTime() - before)).toBeLessThan(60_000);
      }
      expect(emails.find((e) => e.id === stolen.id)).toMatchObject({ status: "sending", leaseOwner: "other" });
    } finally {
      await transport.close();
      await sink.close();
    }
  });

  it("gives an expired lease to the next claimer, and not a live one", async () => {
    await queue(3);
    const store = createDeliveryStore(t.db);
    const now = new Date();
    const first = await store.claim({ workerId: "crashed", limit: 3, leaseMs: 5_000, now });
    expect(first).toHaveLength(3);
    expect(
      await store.claim({ workerId: "next", limit: 3, leaseMs: 5_000, now: new Date(now.getTime() + 4_000) }),
    ).toEqual([]);
    const again = await store.claim({
      workerId: "next",
      limit: 3,
      leaseMs: 5_000,
      now: new Date(now.getTime() + 6_000),
    });
    expect(again.map((d) => d.id).sort()).toEqual(first.map((d) => d.id).sort());
    expect(again.every((d) => d.attempts === 2)).toBe(true);
    // The crashed worker's late outcome no longer counts: the lease is the other worker's.
    expect(
      await store.markSent(first[0]!.id, "crashed", { messageId: "<x@y>", response: "250", recipient: "a@b" }),
    ).toBe(false);
  });

  it("records a sent letter's attempt even when its lease was lost, and its sending only while the lease holds", async () => {
    await queue(2);
    const store = createDeliveryStore(t.db);
    const now = new Date();
    const [stale] = await store.claim({ workerId: "stalled", limit: 1, leaseMs: 5_000, now });
    const staleAttempts = await store.startAttempts([{ deliveryId: stale!.id, number: 1, worker: "stalled" }]);
    // The stalled worker's lease passed to another worker before its letter's answer came back.
    const [taken] = await store.claim({
      workerId: "next",
      limit: 1,
      leaseMs: 5_000,
      now: new Date(now.getTime() + 6_000),
    });
    expect(taken!.id).toBe(stale!.id);
    const sent = { messageId: "<late@x>", response: "250 queued", recipient: "office@x.example" };
    expect(await store.recordSent(staleAttempts.get(stale!.id)!, stale!.id, "stalled", sent)).toBe(false);
    expect(
      await t.db.deliveryAttempt.findUniqueOrThrow({ where: { id: staleAttempts.get(stale!.id)! } }),
    ).toMatchObject({ outcome: "sent", response: "250 queued", messageId: "<late@x>", recipient: "office@x.example" });
    expect(await t.db.delivery.findUniqueOrThrow({ where: { id: stale!.id } })).toMatchObject({
      status: "sending",
      leaseOwner: "next",
    });

    const nextAttempts = await store.startAttempts([{ deliveryId: taken!.id, number: 2, worker: "next" }]);
    expect(await store.recordSent(nextAttempts.get(taken!.id)!, taken!.id, "next", sent)).toBe(true);
    expect(await t.db.delivery.findUniqueOrThrow({ where: { id: taken!.id } })).toMatchObject({
      status: "sent",
      leaseOwner: null,
      messageId: "<late@x>",
      sentTo: "office@x.example",
    });
    expect(
      (await t.db.deliveryAttempt.findUniqueOrThrow({ where: { id: nextAttempts.get(taken!.id)! } })).outcome,
    ).toBe("sent");
  });

  it("records letters sent side by side in one write, each with its own answer and lease", async () => {
    await queue(3);
    const store = createDeliveryStore(t.db);
    const claimed = await store.claim({ workerId: "mine", limit: 3, leaseMs: 5_000 });
    const attempts = await store.startAttempts(claimed.map((d) => ({ deliveryId: d.id, number: 1, worker: "mine" })));
    // The last letter's lease passed to another worker while it was out.
    const stolen = claimed[2]!;
    await t.db.delivery.update({ where: { id: stolen.id }, data: { leaseOwner: "other" } });
    const sent = (i: number) => ({
      messageId: `<letter.${i}@x>`,
      response: `250 ok ${i}`,
      recipient: `office${i}@x.example`,
    });
    // Recorded as a worker's lanes record them: the first letter goes at once, the two that come
    // while it is being written go together in the next write.
    const groups = vi.spyOn(
      store as unknown as { recordSentGroup(group: unknown[]): Promise<boolean[]> },
      "recordSentGroup",
    );
    const answers = await Promise.all(
      claimed.map((d, i) => store.recordSent(attempts.get(d.id)!, d.id, "mine", sent(i))),
    );
    expect(groups.mock.calls.map(([group]) => group.length)).toEqual([1, 2]);
    expect(answers).toEqual([true, true, false]);
    for (const [i, d] of claimed.entries()) {
      expect(await t.db.deliveryAttempt.findUniqueOrThrow({ where: { id: attempts.get(d.id)! } })).toMatchObject({
        outcome: "sent",
        response: `250 ok ${i}`,
        messageId: `<letter.${i}@x>`,
        recipient: `office${i}@x.example`,
      });
    }
    const deliveries = await Promise.all(claimed.map((d) => t.db.delivery.findUniqueOrThrow({ where: { id: d.id } })));
    expect(deliveries.slice(0, 2)).toMatchObject([
      { status: "sent", leaseOwner: null, messageId: "<letter.0@x>", sentTo: "office0@x.example" },
      { status: "sent", leaseOwner: null, messageId: "<letter.1@x>", sentTo: "office1@x.example" },
    ]);
    expect(deliveries[2]).toMatchObject({ status: "sending", leaseOwner: "other", messageId: null });
  });

  it("leaves the letters of a paused campaign queued until it resumes", async () => {
    const { campaign } = await queue(4, { paused: true });
    await queue(2);
    const store = createDeliveryStore(t.db);
    const claimed = await store.claim({ workerId: "w", limit: 10, leaseMs: 60_000 });
    expect(claimed).toHaveLength(2);
    expect(await t.db.delivery.count({ where: { campaignId: campaign.id, status: "queued" } })).toBe(4);
    await t.db.campaign.update({ where: { id: campaign.id }, data: { paused: false } });
    expect(await store.claim({ workerId: "w", limit: 10, leaseMs: 60_000 })).toHaveLength(4);
  });

  // PostgreSQL only: SQLite's claim is one statement under its single writer lock (and a second
  // client in this same process would block the event loop waiting for it).
  it.runIf(name === "PostgreSQL")(
    "a claim racing an uncommitted one takes nothing of the budget it is spending",
    async () => {
      await queue(30);
      const other = createDeliveryStore(anotherClient());
      const options = { limit: 10, leaseMs: 600_000, officeRatePerMinute: 8 };
      let second: Promise<unknown[]> | undefined;
      // The first claim stays uncommitted while the second one runs: the second must neither take
      // the rows in hand nor spend the budget again once the first commits.
      const first = await t.db.$transaction(
        async (tx) => {
          const mine = await createDeliveryStore(tx).claim({ workerId: "first", ...options });
          second = other.claim({ workerId: "second", ...options });
          // Held open until the second claim waits for the budget's lock: then they overlap for sure.
          await expect.poll(() => waitingForLock("advisory"), { timeout: 20_000, interval: 10 }).toBe(1);
          return mine;
        },
        { timeout: 30_000 },
      );
      expect(first).toHaveLength(8);
      expect(await second).toHaveLength(0);
    },
  );

  // PostgreSQL only, like the race above: SQLite runs one writer at a time, so it cannot deadlock.
  it.runIf(name === "PostgreSQL")(
    "lets claims and outcomes of many workers cross on the same offices without deadlocks, counters exact",
    async () => {
      // Every claim and outcome moves the dashboard's per-office counters. Workers claiming letters of
      // the same offices while others settle theirs once made PostgreSQL abort one of them now and
      // then ("deadlock detected"): an outcome lost after a letter went out means a repeat later.
      const campaign = await seedCampaign(t.db);
      for (let i = 0; i < 4; i += 1) {
        const office = await seedOffice(t.db, { email: `office${i}@house.example.gov` });
        const ids = await seedManyLetters(t.db, campaign, office, 40);
        await createDeliveryStore(t.db).enqueueForLetters(ids, { runAt: new Date(Date.now() - 1000) });
      }
      const workers = Array.from({ length: 6 }, (_, i) => ({
        id: `w${i}`,
        store: createDeliveryStore(anotherClient()),
      }));
      // Letters sent side by side are recorded in groups (recordSent): a group that failed, as a
      // deadlock would fail it, would be tried again letter by letter and go unnoticed but here.
      const groupFailures: unknown[] = [];
      for (const { store } of workers) {
        const grouped = store as unknown as { recordSentGroup(...args: unknown[]): Promise<boolean[]> };
        const recordSentGroup = grouped.recordSentGroup.bind(store);
        vi.spyOn(grouped, "recordSentGroup").mockImplementation((...args) =>
          recordSentGroup(...args).catch((error: unknown) => {
            groupFailures.push(error);
            throw error;
          }),
        );
      }
      let settled = 0;
      const unsent = () => t.db.delivery.count({ where: { status: { not: "sent" } } });
      await Promise.all(
        workers.map(async ({ id, store }) => {
          // Until every letter is sent: a third of each batch goes, the rest is retried at once.
          for (let round = 0; round < 100 && (await unsent()) > 0; round += 1) {
            const batch = await store.claim({ workerId: id, limit: 8, leaseMs: 60_000 });
            const attempts = await store.startAttempts(
              batch.map((d) => ({ deliveryId: d.id, number: d.attempts, worker: id })),
            );
            // The batch's outcomes side by side, as a worker's lanes settle them.
            await Promise.all(
              batch.map(async (d, k) => {
                const sent = { messageId: `<${d.id}@x>`, response: "250", recipient: "o@x" };
                const ok =
                  k % 2 === 0
                    ? await store.recordSent(attempts.get(d.id)!, d.id, id, sent)
                    : await store.markRetry(d.id, id, { error: "451", runAt: new Date(Date.now() - 1000) });
                expect(ok).toBe(true);
                settled += 1;
              }),
            );
          }
        }),
      );
      expect(await unsent()).toBe(0);
      expect(settled).toBeGreaterThan(250);
      expect(groupFailures).toEqual([]);
      const actual = await t.db.delivery.groupBy({ by: ["officeId", "status"], _count: { _all: true } });
      const counters = await t.db.campaignOfficeDelivery.findMany({ where: { count: { not: 0 } } });
      const key = (officeId: string | null, status: string) => `${officeId}/${status}`;
      expect(Object.fromEntries(counters.map((c) => [key(c.officeId, c.status), c.count]))).toEqual(
        Object.fromEntries(actual.map((a) => [key(a.officeId, a.status), a._count._all])),
      );
    },
  );

  it("under a rate limit, lets neither an office's backlog nor a paused campaign hold back letters behind them", async () => {
    const store = createDeliveryStore(t.db);
    const now = new Date();
    // Office A's backlog is the oldest (as the White House's is: one letter a supporter).
    const a = await queue(40);
    const b = await queue(3);
    await t.db.delivery.updateMany({
      where: { officeId: a.office.id },
      data: { runAt: new Date(now.getTime() - 60_000) },
    });
    // Office C: a paused campaign's letters first, then another campaign's.
    const paused = await seedCampaign(t.db);
    await t.db.campaign.update({ where: { id: paused.id }, data: { paused: true } });
    const c = await seedOffice(t.db);
    const held = await seedManyLetters(t.db, paused, c, 30);
    await store.enqueueForLetters(held, { runAt: new Date(now.getTime() - 30_000) });
    const live = await seedCampaign(t.db);
    await store.enqueueForLetters(await seedManyLetters(t.db, live, c, 2), { runAt: new Date(now.getTime() - 1_000) });

    const options = { limit: 10, leaseMs: 600_000, now, officeRatePerMinute: 5 };
    const first = await store.claim({ workerId: "w1", ...options });
    const officeOf = new Map(
      (await t.db.delivery.findMany({ where: { id: { in: first.map((d) => d.id) } } })).map((d) => [d.id, d.officeId]),
    );
    const count = (officeId: string) => first.filter((d) => officeOf.get(d.id) === officeId).length;
    expect({ a: count(a.office.id), b: count(b.office.id), c: count(c.id) }).toEqual({ a: 5, b: 3, c: 2 });
    // The budgets are spent for this minute: nothing more, however much is queued.
    expect(await store.claim({ workerId: "w2", ...options })).toEqual([]);
    expect(await t.db.delivery.count({ where: { status: "queued" } })).toBe(35 + 30);
  });

  it("keeps each office's rate per minute across concurrent claimers", async () => {
    const a = await queue(30);
    const b = await queue(30);
    const stores = Array.from({ length: 4 }, () => createDeliveryStore(anotherClient()));
    const now = new Date();
    const claim = (at: Date) =>
      Promise.all(
        stores.map((s, i) =>
          s.claim({ workerId: `w${i}`, limit: 10, leaseMs: 600_000, now: at, officeRatePerMinute: 8 }),
        ),
      );
    const perOffice = async () => {
      const rows = await t.db.delivery.groupBy({
        by: ["officeId"],
        where: { status: "sending" },
        _count: { _all: true },
      });
      return Object.fromEntries(rows.map((r) => [r.officeId, r._count._all]));
    };

    await claim(now);
    await claim(new Date(now.getTime() + 1_000));
    // Eight per office in the minute, however the four claimers interleaved.
    expect(await perOffice()).toEqual({ [a.office.id]: 8, [b.office.id]: 8 });
    // A minute later each office has a new budget.
    await claim(new Date(now.getTime() + 61_000));
    expect(await perOffice()).toEqual({ [a.office.id]: 16, [b.office.id]: 16 });
  });
});
