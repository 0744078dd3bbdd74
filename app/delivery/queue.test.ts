import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb, tuneSqlite, type Db } from "~/db/client.server";
import { createTestDb, type TestDb } from "../../test/db";
import { SqliteDeliveryStore } from "./queue/store.server";
import { seedCampaign, seedLetter, seedManyLetters, seedOffice } from "../../test/seed";

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(here, "../..");

let t: TestDb;
let store: SqliteDeliveryStore;

beforeEach(async () => {
  t = await createTestDb();
  store = new SqliteDeliveryStore(t.db);
});
afterEach(async () => {
  await t.cleanup();
});

async function oneQueuedDelivery(runAt?: Date) {
  const campaign = await seedCampaign(t.db);
  const office = await seedOffice(t.db);
  const letter = await seedLetter(t.db, { campaign, office });
  await store.enqueueForLetters([letter.id], { runAt });
  return t.db.delivery.findFirstOrThrow({ where: { letterId: letter.id } });
}

const at = (iso: string) => new Date(iso);

describe("loadManyForSending", () => {
  it("reads a batch through the driver exactly as Prisma reads one letter", async () => {
    const campaign = await seedCampaign(t.db, { mode: "test", testInbox: null });
    const withAddress = await seedOffice(t.db);
    await t.db.office.update({ where: { id: withAddress.id }, data: { email: "office@senate.example" } });
    const inactive = await seedOffice(t.db);
    await t.db.office.update({ where: { id: inactive.id }, data: { active: false } });
    const letters = [
      await seedLetter(t.db, { campaign, office: withAddress }),
      await seedLetter(t.db, { campaign, office: inactive, confirmed: false }),
      await seedLetter(t.db, { campaign, office: withAddress, firstName: "Zoë" }),
    ];
    // One supporter held for review, one erased, one failed attempt on record.
    await t.db.signature.update({ where: { id: letters[1].signatureId }, data: { moderation: "review" } });
    await t.db.signature.update({ where: { id: letters[2].signatureId }, data: { erasedAt: new Date() } });
    await store.enqueueForLetters(letters.map((l) => l.id));
    const deliveries = await t.db.delivery.findMany();
    await t.db.delivery.update({ where: { id: deliveries[0].id }, data: { attempts: 2, lastError: "451 try later" } });

    const batch = await store.loadManyForSending(deliveries.map((d) => d.id));
    expect(batch.size).toBe(3);
    for (const d of deliveries) {
      expect(batch.get(d.id)).toEqual(await store.loadForSending(d.id));
    }
    expect([...batch.values()].map((l) => [l.office.active, l.supporter.erased, l.supporter.moderation])).toEqual(
      expect.arrayContaining([
        [true, false, "none"],
        [false, false, "review"],
        [true, true, "none"],
      ]),
    );
  });
});

describe("enqueueForLetters", () => {
  it("creates one e-mail delivery per letter, and nothing more when called again", async () => {
    const campaign = await seedCampaign(t.db);
    const office = await seedOffice(t.db);
    const a = await seedLetter(t.db, { campaign, office });
    const b = await seedLetter(t.db, { campaign, office });

    expect(await store.enqueueForLetters([a.id, b.id])).toBe(2);
    expect(await store.enqueueForLetters([a.id, b.id, a.id])).toBe(0);
    // Two confirmations of a third letter racing each other: one delivery between them.
    const c = await seedLetter(t.db, { campaign, office });
    const raced = await Promise.all([store.enqueueForLetters([a.id, c.id]), store.enqueueForLetters([c.id, b.id])]);
    expect(raced[0] + raced[1]).toBe(1);

    const deliveries = await t.db.delivery.findMany();
    expect(deliveries).toHaveLength(3);
    expect(deliveries.every((d) => d.status === "queued" && d.channel === "email" && d.attempts === 0)).toBe(true);
  });

  it("enqueues a batch larger than a statement may carry (a re-drive of thousands)", async () => {
    const campaign = await seedCampaign(t.db);
    const office = await seedOffice(t.db);
    const letterIds = await seedManyLetters(t.db, campaign, office, 4_000);
    // SQLite refused one statement with 4,000 ids ("query parameter limit ... exceeded").
    expect(await store.enqueueForLetters(letterIds)).toBe(4_000);
    expect(await store.enqueueForLetters(letterIds)).toBe(0);
    expect(await t.db.delivery.count({ where: { officeId: office.id } })).toBe(4_000);
  });

  it("leaves a delivery that already went out untouched", async () => {
    const d = await oneQueuedDelivery();
    const [claimed] = await store.claim({
      workerId: "w1",
      limit: 1,
      leaseMs: 60_000,
    });
    await store.markSent(claimed.id, "w1", {
      messageId: "<m@x>",
      response: "250 OK",
      recipient: "a@b.example",
    });

    expect(await store.enqueueForLetters([d.letterId])).toBe(0);
    expect((await t.db.delivery.findUniqueOrThrow({ where: { id: d.id } })).status).toBe("sent");
  });
});

describe("claim", () => {
  it("takes only deliveries that are due, leases them and counts the attempt", async () => {
    const due = await oneQueuedDelivery(at("2030-01-01T10:00:00.000Z"));
    const later = await oneQueuedDelivery(at("2030-01-01T10:05:00.000Z"));

    const first = await store.claim({
      workerId: "w1",
      limit: 10,
      leaseMs: 600_000,
      now: at("2030-01-01T10:01:00.000Z"),
    });
    expect(first.map((d) => d.id)).toEqual([due.id]);
    expect(first[0].attempts).toBe(1);
    expect(first[0].leaseExpiresAt.toISOString()).toBe("2030-01-01T10:11:00.000Z");

    const row = await t.db.delivery.findUniqueOrThrow({
      where: { id: due.id },
    });
    expect(row).toMatchObject({
      status: "sending",
      leaseOwner: "w1",
      attempts: 1,
    });
    expect(row.leaseExpiresAt?.toISOString()).toBe("2030-01-01T10:11:00.000Z");

    // The same instant again: the claimed one is leased, the other not yet due.
    expect(
      await store.claim({
        workerId: "w2",
        limit: 10,
        leaseMs: 60_000,
        now: at("2030-01-01T10:01:00.000Z"),
      }),
    ).toEqual([]);
    // Exactly at its runAt, the second one is due.
    const second = await store.claim({
      workerId: "w2",
      limit: 10,
      leaseMs: 60_000,
      now: at("2030-01-01T10:05:00.000Z"),
    });
    expect(second.map((d) => d.id)).toEqual([later.id]);
  });

  it("respects the limit and takes the oldest first", async () => {
    const campaign = await seedCampaign(t.db);
    const office = await seedOffice(t.db);
    const ids: string[] = [];
    for (const minute of [3, 1, 2]) {
      const letter = await seedLetter(t.db, { campaign, office });
      await store.enqueueForLetters([letter.id], {
        runAt: at(`2030-01-01T10:0${minute}:00.000Z`),
      });
      ids[minute] = (await t.db.delivery.findFirstOrThrow({ where: { letterId: letter.id } })).id;
    }
    const claimed = await store.claim({
      workerId: "w1",
      limit: 2,
      leaseMs: 1000,
      now: at("2030-01-01T11:00:00.000Z"),
    });
    expect(claimed.map((d) => d.id)).toEqual([ids[1], ids[2]]);
  });

  it("compares times correctly for rows written with SQLite's own timestamp format", async () => {
    const d = await oneQueuedDelivery();
    // What a plain-SQL insert relying on the column default stores: "YYYY-MM-DD HH:MM:SS".
    await t.db.$executeRaw`UPDATE "Delivery" SET "runAt" = '2030-01-01 10:00:00' WHERE "id" = ${d.id}`;

    // Same day, earlier: as text "2030-01-01 10:00:00" < "2030-01-01T09:…", which would wrongly say due.
    expect(
      await store.claim({
        workerId: "w1",
        limit: 1,
        leaseMs: 1000,
        now: at("2030-01-01T09:59:59.000Z"),
      }),
    ).toEqual([]);
    const claimed = await store.claim({
      workerId: "w1",
      limit: 1,
      leaseMs: 1000,
      now: at("2030-01-01T10:00:00.500Z"),
    });
    expect(claimed.map((c) => c.id)).toEqual([d.id]);
  });

  it("re-claims a delivery whose lease expired, but not one whose lease is still running", async () => {
    const d = await oneQueuedDelivery(at("2030-01-01T10:00:00.000Z"));
    await store.claim({
      workerId: "crashed",
      limit: 1,
      leaseMs: 60_000,
      now: at("2030-01-01T10:00:00.000Z"),
    });

    // 59 s later the first worker may still be sending.
    expect(
      await store.claim({
        workerId: "w2",
        limit: 1,
        leaseMs: 60_000,
        now: at("2030-01-01T10:00:59.000Z"),
      }),
    ).toEqual([]);

    // 61 s later it is presumed dead: the letter comes back, counted as a second attempt.
    const reclaimed = await store.claim({
      workerId: "w2",
      limit: 1,
      leaseMs: 60_000,
      now: at("2030-01-01T10:01:01.000Z"),
    });
    expect(reclaimed.map((c) => [c.id, c.attempts])).toEqual([[d.id, 2]]);
    expect((await t.db.delivery.findUniqueOrThrow({ where: { id: d.id } })).leaseOwner).toBe("w2");
  });

  it("never hands one delivery to two claimers racing on two connections", async () => {
    const campaign = await seedCampaign(t.db);
    const office = await seedOffice(t.db);
    const letterIds = await seedManyLetters(t.db, campaign, office, 150);
    await store.enqueueForLetters(letterIds, {
      runAt: at("2020-01-01T00:00:00.000Z"),
    });

    const other: Db = createDb(t.url);
    await tuneSqlite(other);
    try {
      const stores = [store, new SqliteDeliveryStore(other)];
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => stores[i % 2].claim({ workerId: `w${i}`, limit: 5, leaseMs: 60_000 })),
      );
      const ids = results.flat().map((d) => d.id);
      expect(ids).toHaveLength(150);
      expect(new Set(ids).size).toBe(150);
      // Each delivery belongs to the claimer that got it back.
      const rows = await t.db.delivery.findMany({
        select: { id: true, leaseOwner: true, attempts: true },
      });
      const owner = new Map(results.flatMap((r, i) => r.map((d) => [d.id, `w${i}`] as const)));
      expect(rows.every((r) => r.leaseOwner === owner.get(r.id) && r.attempts === 1)).toBe(true);
    } finally {
      await other.$disconnect();
    }
  });

  it("never hands one delivery to two worker processes", async () => {
    const campaign = await seedCampaign(t.db);
    const office = await seedOffice(t.db);
    const letterIds = await seedManyLetters(t.db, campaign, office, 120);
    await store.enqueueForLetters(letterIds, {
      runAt: at("2020-01-01T00:00:00.000Z"),
    });

    // Separate processes, so the claims meet at the SQLite file lock. Each process claims one batch
    // per round when told "go", and all are told at once: every round, three claims race for the
    // same oldest rows, however slow the machine (left to loop on its own, one process could take
    // everything before the others had started).
    const dir = mkdtempSync(join(tmpdir(), "sincerely-claim-race-"));
    const script = join(dir, "claimer.mts");
    writeFileSync(
      script,
      `import { createInterface } from "node:readline";
       import { createDb, tuneSqlite } from ${JSON.stringify(join(projectRoot, "app/db/client.server.ts"))};
       import { SqliteDeliveryStore } from ${JSON.stringify(join(here, "queue/store.server.ts"))};
       const db = createDb(process.argv[2]);
       await tuneSqlite(db);
       const store = new SqliteDeliveryStore(db);
       console.log("ready");
       for await (const _go of createInterface({ input: process.stdin })) {
         const batch = await store.claim({ workerId: process.argv[3], limit: 2, leaseMs: 600000 });
         console.log(JSON.stringify(batch.map((d) => d.id)));
         if (batch.length === 0) break;
       }
       await db.$disconnect();
       process.exit(0);`,
    );
    const children = ["p1", "p2", "p3"].map((workerId) =>
      spawn(process.execPath, ["--import", "tsx", script, t.url, workerId], {
        cwd: projectRoot,
        stdio: ["pipe", "pipe", "pipe"],
      }),
    );
    // Each child's output, line by line: "ready", then one JSON array of ids per round.
    const lines = children.map((child) => {
      const queue: string[] = [];
      const waiting: Array<(line: string) => void> = [];
      let buffer = "";
      let err = "";
      child.stdout.on("data", (chunk) => {
        buffer += chunk;
        for (let i = buffer.indexOf("\n"); i >= 0; i = buffer.indexOf("\n")) {
          const line = buffer.slice(0, i);
          buffer = buffer.slice(i + 1);
          const next = waiting.shift();
          if (next) next(line);
          else queue.push(line);
        }
      });
      child.stderr.on("data", (chunk) => (err += chunk));
      child.on("exit", (code) => {
        if (code !== 0) for (const w of waiting.splice(0)) w(`exit ${code}: ${err}`);
      });
      return () =>
        new Promise<string>((resolve) => {
          const line = queue.shift();
          if (line !== undefined) resolve(line);
          else waiting.push(resolve);
        });
    });
    try {
      expect(await Promise.all(lines.map((next) => next()))).toEqual(["ready", "ready", "ready"]);
      const perRound: string[][][] = [];
      let active = [0, 1, 2];
      while (active.length > 0) {
        for (const i of active) children[i]!.stdin.write("go\n");
        const round = await Promise.all(active.map((i) => lines[i]!().then((line) => JSON.parse(line) as string[])));
        perRound.push(round);
        active = active.filter((_, k) => round[k]!.length > 0);
      }
      const ids = perRound.flat(2);
      expect(ids).toHaveLength(120);
      expect(new Set(ids).size).toBe(120);
      // The race happened in every round while letters were left: each claimer got a batch of its own.
      expect(perRound[0]!.map((batch) => batch.length)).toEqual([2, 2, 2]);
    } finally {
      for (const child of children) if (child.exitCode === null) child.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("after the claim", () => {
  it("heartbeat extends only the leases this worker still holds", async () => {
    const d = await oneQueuedDelivery(at("2030-01-01T10:00:00.000Z"));
    await store.claim({
      workerId: "w1",
      limit: 1,
      leaseMs: 1000,
      now: at("2030-01-01T10:00:00.000Z"),
    });

    expect(await store.heartbeat([d.id], "w1", 60_000, at("2030-01-01T10:00:00.500Z"))).toBe(1);
    // Well past the original one-second lease, still ours: not claimable.
    expect(
      await store.claim({
        workerId: "w2",
        limit: 1,
        leaseMs: 1000,
        now: at("2030-01-01T10:00:30.000Z"),
      }),
    ).toEqual([]);

    expect(await store.heartbeat([d.id], "someone-else", 600_000, at("2030-01-01T10:00:30.000Z"))).toBe(0);
    const row = await t.db.delivery.findUniqueOrThrow({ where: { id: d.id } });
    expect(row.leaseExpiresAt?.toISOString()).toBe("2030-01-01T10:01:00.500Z");
  });

  it("a worker whose lease was taken over cannot record an outcome", async () => {
    const d = await oneQueuedDelivery(at("2030-01-01T10:00:00.000Z"));
    await store.claim({
      workerId: "stale",
      limit: 1,
      leaseMs: 1000,
      now: at("2030-01-01T10:00:00.000Z"),
    });
    await store.claim({
      workerId: "fresh",
      limit: 1,
      leaseMs: 60_000,
      now: at("2030-01-01T10:00:05.000Z"),
    });

    expect(
      await store.markSent(d.id, "stale", {
        messageId: "<x@y>",
        response: "250 OK",
        recipient: "a@b.example",
      }),
    ).toBe(false);
    expect(await store.markFailed(d.id, "stale", "550 no")).toBe(false);
    expect(await store.markRetry(d.id, "stale", { error: "451", runAt: new Date() })).toBe(false);
    expect(await store.markHeld(d.id, "stale", "no e-mail")).toBe(false);
    expect(await store.release([d.id], "stale")).toBe(0);
    expect(await t.db.delivery.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({
      status: "sending",
      leaseOwner: "fresh",
      sentAt: null,
      lastError: null,
    });

    expect(
      await store.markSent(d.id, "fresh", {
        messageId: "<x@y>",
        response: "250 OK",
        recipient: "a@b.example",
      }),
    ).toBe(true);
    expect(await t.db.delivery.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({
      status: "sent",
      leaseOwner: null,
      leaseExpiresAt: null,
      messageId: "<x@y>",
      sentTo: "a@b.example",
    });
  });

  it("release puts deliveries back without counting an attempt", async () => {
    const d = await oneQueuedDelivery();
    await store.claim({ workerId: "w1", limit: 1, leaseMs: 60_000 });
    expect(await store.release([d.id], "w1")).toBe(1);
    expect(await t.db.delivery.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({
      status: "queued",
      attempts: 0,
      leaseOwner: null,
    });
    expect(await store.claim({ workerId: "w2", limit: 1, leaseMs: 60_000 })).toHaveLength(1);
  });

  it("requeue re-drives a failed delivery from scratch", async () => {
    const d = await oneQueuedDelivery();
    await store.claim({ workerId: "w1", limit: 1, leaseMs: 60_000 });
    await store.markFailed(d.id, "w1", "550 mailbox unknown");
    expect(await store.requeue([d.id])).toBe(1);
    expect(await t.db.delivery.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({
      status: "queued",
      attempts: 0,
      lastError: null,
    });
  });

  it("logs attempts", async () => {
    const d = await oneQueuedDelivery();
    const attemptId = await store.startAttempt({
      deliveryId: d.id,
      number: 1,
      worker: "w1",
    });
    expect(
      (
        await t.db.deliveryAttempt.findUniqueOrThrow({
          where: { id: attemptId },
        })
      ).outcome,
    ).toBe("started");
    await store.finishAttempt(attemptId, {
      outcome: "transient",
      response: "451 try later",
      recipient: "x@y.example",
    });
    const row = await t.db.deliveryAttempt.findUniqueOrThrow({
      where: { id: attemptId },
    });
    expect(row).toMatchObject({
      outcome: "transient",
      response: "451 try later",
      recipient: "x@y.example",
      worker: "w1",
    });
    expect(row.finishedAt).not.toBeNull();
  });
});
