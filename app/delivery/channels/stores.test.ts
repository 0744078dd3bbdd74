// The channels' stores on the database, on both databases: the CWC office lists every worker
// shares, and the send rate held across workers.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb, pgPoolOf, tuneSqlite, type Db } from "~/db/client.server";
import { DATABASES, type TestDatabase } from "../../../test/databases";
import { OfficeList } from "./cwc/service.server";
import { databaseOfficeListStore } from "./office-lists.server";
import { databaseSendRate } from "./send-rate.server";

/** Another client of the same database, as another worker process would have. */
async function anotherClient(url: string): Promise<Db> {
  const db = createDb(url);
  await tuneSqlite(db);
  return db;
}

const projectRoot = resolve(import.meta.dirname, "../../..");

/** The recorded sends of a channel, in time order, as milliseconds. */
async function sendTimes(db: Db, channel: string): Promise<number[]> {
  const sends = await db.channelSend.findMany({ where: { channel }, orderBy: { sentAt: "asc" } });
  return sends.map((s) => s.sentAt.getTime());
}

/** No `max` + 1 sends within `perMs`: the send `max` places after any send is `perMs` or more later. */
function expectAtMost(times: number[], max: number, perMs: number) {
  for (let i = 0; i + max < times.length; i++) expect(times[i + max] - times[i]).toBeGreaterThanOrEqual(perMs);
}

/**
 * Worker processes that each take `count` Senate slots at once, all starting together (their own
 * connections and, on SQLite, their own file locks: what clients in one process share).
 */
async function acquireInProcesses(url: string, processes: number, count: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "sincerely-send-rate-"));
  const script = join(dir, "sender.mts");
  writeFileSync(
    script,
    `import { createDb, tuneSqlite } from ${JSON.stringify(join(projectRoot, "app/db/client.server.ts"))};
     import { senateSendRate } from ${JSON.stringify(join(projectRoot, "app/delivery/channels/send-rate.server.ts"))};
     const db = createDb(process.argv[2]);
     await tuneSqlite(db);
     const limiter = senateSendRate(db);
     console.log("ready");
     await new Promise((r) => process.stdin.once("data", r));
     await Promise.all(Array.from({ length: ${count} }, () => limiter.acquire()));
     await db.$disconnect();
     process.exit(0);`,
  );
  const children = Array.from({ length: processes }, () =>
    spawn(process.execPath, ["--import", "tsx", script, url], { cwd: projectRoot, stdio: ["pipe", "pipe", "pipe"] }),
  );
  try {
    const runs = children.map((child) => {
      let out = "";
      let err = "";
      const ready = new Promise<void>((resolveReady) =>
        child.stdout.on("data", (chunk) => {
          out += chunk;
          if (out.includes("ready\n")) resolveReady();
        }),
      );
      child.stderr.on("data", (chunk) => (err += chunk));
      const done = new Promise<void>((resolveDone, reject) =>
        child.on("exit", (code) =>
          code === 0 ? resolveDone() : reject(new Error(`sender exited with ${code}: ${err}`)),
        ),
      );
      return { ready, done };
    });
    await Promise.all(runs.map((r) => r.ready));
    for (const child of children) child.stdin.end("go\n");
    await Promise.all(runs.map((r) => r.done));
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function closeClient(db: Db) {
  await db.$disconnect();
  const pool = pgPoolOf(db);
  if (pool && !pool.ending) await pool.end();
}

describe.each(DATABASES)("the channels' stores on $name", ({ open, skip }) => {
  if (skip) return void it.skip("PG_TESTS=off");
  let t: TestDatabase;
  const others: Db[] = [];
  beforeEach(async () => {
    t = await open();
  });
  const another = async () => {
    const db = await anotherClient(t.url);
    others.push(db);
    return db;
  };
  afterEach(async () => {
    await Promise.all(others.splice(0).map(closeClient));
    await t.cleanup();
  });

  describe("databaseOfficeListStore", () => {
    it("round-trips a list by name, and has none for a name never saved", async () => {
      const store = databaseOfficeListStore(t.db);
      const fetchedAt = new Date("2026-12-04T06:00:00.123Z");
      expect(await store.load("house-cwc:live")).toBeNull();
      await store.save("house-cwc:live", { codes: ["HVT00", "HMN05"], fetchedAt });
      await store.save("senate-cwc", { codes: ["SMN01"], fetchedAt });
      expect(await store.load("house-cwc:live")).toEqual({ codes: ["HVT00", "HMN05"], fetchedAt });
      expect(await store.load("senate-cwc")).toEqual({ codes: ["SMN01"], fetchedAt });
      expect(await store.load("house-cwc:test")).toBeNull();
      // An empty list is a list (the service answered with none), not a missing one.
      await store.save("house-cwc:test", { codes: [], fetchedAt });
      expect(await store.load("house-cwc:test")).toEqual({ codes: [], fetchedAt });
    });

    it("keeps the newer list when two workers save theirs in the wrong order", async () => {
      const store = databaseOfficeListStore(t.db);
      const other = databaseOfficeListStore(await another());
      const newer = { codes: ["SMN01", "SVT03"], fetchedAt: new Date("2026-12-04T12:00:00Z") };
      const older = { codes: ["SMN01"], fetchedAt: new Date("2026-12-04T11:59:59Z") };
      await store.save("senate-cwc", newer);
      await other.save("senate-cwc", older);
      expect(await store.load("senate-cwc")).toEqual(newer);
      const newest = { codes: ["SCA03"], fetchedAt: new Date("2026-12-05T00:00:00Z") };
      await other.save("senate-cwc", newest);
      expect(await store.load("senate-cwc")).toEqual(newest);
    });

    it("lets a second worker's office list start from the first one's fetch instead of asking the service", async () => {
      let fetches = 0;
      const now = () => new Date("2026-12-04T12:00:00Z");
      const list = (db: Db) =>
        new OfficeList({
          name: "senate-cwc",
          store: databaseOfficeListStore(db),
          fetchCodes: async () => (fetches++, { codes: ["SMN01", "SVT01"] }),
          now,
        });
      const first = await list(t.db).fresh();
      const second = await list(await another()).fresh();
      expect(fetches).toBe(1);
      expect("codes" in first && [...first.codes]).toEqual(["SMN01", "SVT01"]);
      expect("codes" in second && [...second.codes]).toEqual(["SMN01", "SVT01"]);
    });
  });

  describe("databaseSendRate", () => {
    it("lets three workers send 15 messages with never more than 5 in any second, waiting for their turn", async () => {
      const workers = [t.db];
      for (let i = 0; i < 2; i++) workers.push(await another());
      const limiters = workers.map((db) => databaseSendRate(db, { channel: "senate-cwc", max: 5, perMs: 1000 }));
      // Another channel's sends count for it alone.
      const house = databaseSendRate(t.db, { channel: "house-cwc", max: 5, perMs: 1000 });
      await Promise.all([1, 2, 3, 4, 5].map(() => house.acquire()));

      const acquired = await Promise.allSettled(
        limiters.flatMap((limiter) => [1, 2, 3, 4, 5].map(() => limiter.acquire())),
      );
      expect(acquired.filter((a) => a.status === "fulfilled")).toHaveLength(15);

      const times = await sendTimes(t.db, "senate-cwc");
      expect(times).toHaveLength(15);
      expectAtMost(times, 5, 1000);
      // And they waited for their slots rather than bunching up at the end: 5 in the first window.
      expect(times[4] - times[0]).toBeLessThan(1000);
    });

    it("holds the rate across worker processes too", { timeout: 60_000 }, async () => {
      await acquireInProcesses(t.url, 3, 5);
      const times = await sendTimes(t.db, "senate-cwc");
      expect(times).toHaveLength(15);
      expectAtMost(times, 5, 1000);
    });

    it("stops waiting when the send is abandoned, and records nothing for it", async () => {
      const limiter = databaseSendRate(t.db, { channel: "senate-cwc", max: 2, perMs: 60_000 });
      await limiter.acquire();
      await limiter.acquire();
      const controller = new AbortController();
      const waiting = limiter.acquire(controller.signal);
      setTimeout(() => controller.abort(new Error("shutting down")), 50);
      await expect(waiting).rejects.toThrow("shutting down");
      expect(await t.db.channelSend.count()).toBe(2);
    });

    it("forgets sends older than it keeps", async () => {
      await t.db.channelSend.createMany({
        data: [1, 2, 3].map((i) => ({ channel: "senate-cwc", sentAt: new Date(Date.now() - i * 3_600_000) })),
      });
      const limiter = databaseSendRate(t.db, { channel: "senate-cwc", max: 5, perMs: 1000, keepMs: 60_000 });
      await limiter.acquire();
      expect(await t.db.channelSend.count()).toBe(1);
    });
  });
});
