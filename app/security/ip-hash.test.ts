import { execFileSync } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../../test/db";
import { ipHashKey, keyedHash, normaliseIp, purgeIpHashes } from "./ip-hash.server";

describe("address hashes", () => {
  const secret = "s".repeat(40);

  it("are keyed: the same address hashes alike under one key, differently under another, and never shows", () => {
    const key = ipHashKey({ SESSION_SECRET: secret, IP_HASH_KEY: undefined });
    const a = keyedHash(key, "203.0.113.9");
    expect(keyedHash(key, "203.0.113.9")).toBe(a);
    expect(keyedHash(key, "203.0.113.10")).not.toBe(a);
    expect(keyedHash(ipHashKey({ SESSION_SECRET: "t".repeat(40), IP_HASH_KEY: undefined }), "203.0.113.9")).not.toBe(a);
    expect(keyedHash(ipHashKey({ SESSION_SECRET: secret, IP_HASH_KEY: "own key" }), "203.0.113.9")).not.toBe(a);
    expect(a).not.toContain("203");
    // The key is derived from the secret, not the secret itself.
    expect(key.toString("utf8")).not.toBe(secret);
  });

  it("treat IPv4-mapped IPv6 addresses as the IPv4 address", () => {
    expect(normaliseIp("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(normaliseIp("2001:DB8::1")).toBe("2001:db8::1");
    expect(normaliseIp(undefined)).toBe("unknown");
  });
});

describe("purgeIpHashes", () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it("forgets the hashes of signatures older than the retention period and keeps the rest", async () => {
    const campaign = await t.db.campaign.create({
      data: { slug: "c", title: "C", summary: "s", body: "b", template: "landmines-2020" },
    });
    const now = new Date("2026-11-28T12:00:00Z");
    const day = 24 * 60 * 60 * 1000;
    const sign = (email: string, ageDays: number) =>
      t.db.signature.create({
        data: {
          campaignId: campaign.id,
          firstName: "A",
          lastName: "B",
          email,
          street: "1 Main St",
          city: "Seattle",
          state: "WA",
          zip: "98103",
          points: "[]",
          ipHash: "hash",
          createdAt: new Date(now.getTime() - ageDays * day),
        },
      });
    await sign("old@example.org", 31);
    await sign("new@example.org", 29);
    expect(await purgeIpHashes(t.db, 30, now)).toBe(1);
    const rows = await t.db.signature.findMany({ orderBy: { email: "asc" } });
    expect(rows.map((r) => [r.email, r.ipHash])).toEqual([
      ["new@example.org", "hash"],
      ["old@example.org", null],
    ]);
    // The rest of the signature stays.
    expect(rows[1].firstName).toBe("A");
    expect(await purgeIpHashes(t.db, 30, now)).toBe(0);
  });

  it("runs as a command (npm run ips:purge) with the configured retention", async () => {
    const campaign = await t.db.campaign.create({
      data: { slug: "c", title: "C", summary: "s", body: "b", template: "landmines-2020" },
    });
    await t.db.signature.create({
      data: {
        campaignId: campaign.id,
        firstName: "A",
        lastName: "B",
        email: "a@example.org",
        street: "1 Main St",
        city: "Seattle",
        state: "WA",
        zip: "98103",
        points: "[]",
        ipHash: "hash",
        createdAt: new Date(Date.now() - 3 * 24 * 60 * 60 * 1000),
      },
    });
    const out = execFileSync("npx", ["tsx", "scripts/ips-purge.ts"], {
      env: { ...process.env, DATABASE_URL: t.url, IP_RETENTION_DAYS: "2" },
      encoding: "utf8",
    });
    expect(out).toContain("Forgot the address hashes of 1 signature(s) older than 2 day(s)");
    expect((await t.db.signature.findFirstOrThrow()).ipHash).toBeNull();
  });
});
