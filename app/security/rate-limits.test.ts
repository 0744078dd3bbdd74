import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseEnv } from "~/env.server";
import { createTestDb } from "../../test/db";
import { DATABASES, type TestDatabase } from "../../test/databases";
import { createRateLimits, describeWait, sweepExpired } from "./rate-limits.server";

// The limits count through rate-limiter-flexible's store for each database (SQLite, PostgreSQL).
describe.each(DATABASES)("rate limits on $name", ({ open, skip }) => {
  if (skip) return void it.skip("PG_TESTS=off");
  let t: TestDatabase;
  beforeEach(async () => {
    t = await open();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const limitsWith = (env: Record<string, string> = {}) =>
    createRateLimits(t.db, parseEnv({ NODE_ENV: "test", ...env }));

  it("allow the configured number of requests per key, then say how long to wait", async () => {
    const limits = limitsWith({ RATE_LIMIT_SIGN_PER_IP: "3" });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limits.consume({ signPerIp: "a" }));
    expect(results.slice(0, 3)).toEqual([null, null, null]);
    expect(results[3]).toBeGreaterThan(3500);
    expect(results[3]).toBeLessThanOrEqual(3600);
    // Another key is not affected.
    expect(await limits.consume({ signPerIp: "b" })).toBeNull();
  });

  it("keep their counts in the database, keyed by hashes, not addresses", async () => {
    const limits = limitsWith();
    await limits.consume({ signPerEmail: limits.keyFor("email:ada@example.org") });
    const rows = await t.db.rateLimit.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0].key).toMatch(/^signPerEmail:/);
    expect(rows[0].key).not.toContain("ada");
    expect(rows[0].points).toBe(1);
  });

  it("hold across two processes sharing one database", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sincerely-limits-"));
    const go = join(dir, "go");
    const run = (name: string) =>
      new Promise<{ allowed: number }>((resolve, reject) => {
        const child = spawn("npx", ["tsx", "test/rate-limit-client.ts", t.url, "10", "8", go, join(dir, name)], {
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        let err = "";
        child.stdout.on("data", (c: Buffer) => (out += c));
        child.stderr.on("data", (c: Buffer) => (err += c));
        child.on("exit", (code) =>
          code === 0 ? resolve(JSON.parse(out.trim().split("\n").pop() ?? "")) : reject(new Error(err)),
        );
      });
    const both = Promise.all([run("a"), run("b")]);
    // Both processes start trying at once, when both are ready.
    while (!existsSync(join(dir, "a")) || !existsSync(join(dir, "b"))) await new Promise((r) => setTimeout(r, 20));
    writeFileSync(go, "");
    const [a, b] = await both;
    // 16 tries against one limit of 10: exactly 10 allowed in all, however they interleaved.
    expect(a.allowed + b.allowed).toBe(10);
    const row = await t.db.rateLimit.findFirst();
    expect(row?.points).toBe(16);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("throttle sign-ins on consecutive failures and forget them after a success", async () => {
    const limits = limitsWith({ RATE_LIMIT_LOGIN_FAILURES_PER_EMAIL: "3" });
    const key = { loginFailuresPerEmail: limits.keyFor("email:owner@example.org") };
    for (let i = 0; i < 2; i++) await limits.consume(key);
    expect(await limits.blocked(key)).toBeNull();
    await limits.reset("loginFailuresPerEmail", key.loginFailuresPerEmail);
    for (let i = 0; i < 2; i++) await limits.consume(key);
    // Two failures after the success: still allowed (the earlier two were forgotten).
    expect(await limits.blocked(key)).toBeNull();
    await limits.consume(key);
    expect(await limits.blocked(key)).toBeGreaterThan(0);
  });

  it("count failures per address across accounts", async () => {
    const limits = limitsWith({ RATE_LIMIT_LOGIN_FAILURES_PER_IP: "2" });
    await limits.consume({ loginFailuresPerEmail: "x", loginFailuresPerIp: "ip" });
    await limits.consume({ loginFailuresPerEmail: "y", loginFailuresPerIp: "ip" });
    expect(await limits.blocked({ loginFailuresPerEmail: "z", loginFailuresPerIp: "ip" })).toBeGreaterThan(0);
    expect(await limits.blocked({ loginFailuresPerEmail: "z", loginFailuresPerIp: "other" })).toBeNull();
  });

  it("forget counts whose window ended over an hour ago, and only those", async () => {
    const limits = limitsWith();
    await limits.consume({ signPerIp: "recent" });
    await limits.consume({ signPerIp: "old" });
    // The "old" count's hour ended two hours ago.
    await t.db.rateLimit.update({
      where: { key: "signPerIp:old" },
      data: { expire: BigInt(Date.now() - 2 * 60 * 60 * 1000) },
    });
    expect(await sweepExpired(t.db)).toBe(1);
    expect((await t.db.rateLimit.findMany()).map((r) => r.key)).toEqual(["signPerIp:recent"]);
  });
});

describe("rate limits on SQLite, beside a Prisma transaction of the same process", () => {
  it("wait for the transaction's write lock without stopping the event loop, then count", async () => {
    const t = await createTestDb();
    try {
      const limits = createRateLimits(t.db, parseEnv({ NODE_ENV: "test" }));
      let counted: number | null | undefined;
      // The transaction holds SQLite's write lock across event-loop turns (the timer below); a
      // count that waited for the lock synchronously would stop the loop and never get it.
      await t.db.$transaction(async (tx) => {
        await tx.rateLimit.create({ data: { key: "held", points: 1 } });
        const pending = limits.consume({ signPerIp: "during" }).then((wait) => (counted = wait));
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(counted).toBeUndefined(); // still waiting for the lock
        void pending;
      });
      await expect.poll(() => counted, { timeout: 5000 }).toBeNull();
      expect((await t.db.rateLimit.findMany()).map((r) => r.key).sort()).toEqual(["held", "signPerIp:during"]);
    } finally {
      await t.cleanup();
    }
  });
});

describe("describeWait", () => {
  it("says when to try again in words", () => {
    expect(describeWait(1)).toBe("in 1 second");
    expect(describeWait(45)).toBe("in 45 seconds");
    expect(describeWait(600)).toBe("in 10 minutes");
    expect(describeWait(3600)).toBe("in 60 minutes");
    expect(describeWait(86_000)).toBe("in about 24 hours");
  });
});
