// WAL checkpoints from a thread of their own (see sqlite-checkpoints.server.ts), on a real SQLite file.
import { renameSync, statSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../../test/db";
import { sqliteConnection } from "./direct/sqlite.server";
import { startSqliteCheckpoints, type Checkpointer } from "./sqlite-checkpoints.server";

let t: TestDb;
let checkpoints: Checkpointer | undefined;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await checkpoints?.stop();
  checkpoints = undefined;
  await t.cleanup();
});

const autoCheckpoint = async () => ({
  prisma: Number(
    Object.values((await t.db.$queryRawUnsafe<Array<Record<string, unknown>>>("PRAGMA wal_autocheckpoint"))[0]!)[0],
  ),
  direct: sqliteConnection(t.file).pragma("wal_autocheckpoint", { simple: true }),
});

/** About 1,200 pages (past SQLite's 1,000-page checkpoint on commit) in one statement. */
async function writeManyPages() {
  await t.db.$executeRawUnsafe(`
    INSERT INTO "RateLimit" ("key", "points", "expire")
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
    SELECT 'k' || i || hex(randomblob(100)), 1, NULL FROM n`);
}

describe("SQLite checkpoints", () => {
  it("are taken off the commits and done by the thread, which copies the WAL into the database file", async () => {
    checkpoints = await startSqliteCheckpoints(t.db, { intervalMs: 50 });
    expect(await autoCheckpoint()).toEqual({ prisma: 0, direct: 0 });
    const before = statSync(t.file).size;
    await writeManyPages();
    // The commit did not checkpoint (that is off); the thread does, on one of its next ticks (the
    // timeout is only a safety net: how soon is not what this test is about).
    await expect
      .poll(() => statSync(t.file).size, { timeout: 30_000, interval: 50 })
      .toBeGreaterThan(before + 4_000_000);
    expect(await t.db.$queryRawUnsafe(`SELECT COUNT(*) AS n FROM "RateLimit"`)).toEqual([{ n: 20000n }]);
  });

  it("leaves checkpoints to the commits when the thread cannot open the database", async () => {
    // The thread opens the file by its path: moved away (Prisma's connection keeps its handle),
    // the thread fails to start, and the commits keep checkpointing as SQLite's default has them.
    renameSync(t.file, `${t.file}.moved`);
    try {
      checkpoints = await startSqliteCheckpoints(t.db, { intervalMs: 50 });
      const [row] = await t.db.$queryRawUnsafe<Array<Record<string, unknown>>>("PRAGMA wal_autocheckpoint");
      expect(Number(Object.values(row!)[0])).toBe(1000);
    } finally {
      renameSync(`${t.file}.moved`, t.file);
    }
  });

  it("hands checkpoints back to the commits when stopped", async () => {
    checkpoints = await startSqliteCheckpoints(t.db, { intervalMs: 50 });
    await checkpoints.stop();
    checkpoints = undefined;
    expect(await autoCheckpoint()).toEqual({ prisma: 1000, direct: 1000 });
  });
});
