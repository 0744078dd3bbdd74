// Our PostgreSQL migration applier against a real PostgreSQL: it applies the committed
// migrations once, records them the way Prisma's engine does, and refuses a ledger that disagrees.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adminQuery, createPgTestDb, pgTestsOff, type PgTestDb } from "../../../test/pg";
import {
  migratePostgres,
  migrationChecksum,
  pendingPostgresMigrations,
  readLocalMigrations,
} from "./pg-migrate.server";

describe.skipIf(pgTestsOff)("PostgreSQL migrations", () => {
  let t: PgTestDb;
  let dir: string;
  beforeEach(async () => {
    t = await createPgTestDb({ migrate: false });
    // A copy of the committed migrations that a test may add to or change.
    dir = mkdtempSync(join(tmpdir(), "sincerely-pg-migrations-"));
    cpSync("prisma/postgresql/migrations", dir, { recursive: true });
  });
  afterEach(async () => {
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const ledger = () =>
    adminQuery<{
      id: string;
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
      started_at: Date;
      applied_steps_count: number;
      logs: string | null;
    }>(`SELECT * FROM "_prisma_migrations" ORDER BY "migration_name"`, [], t.url);

  it("applies every committed migration once and records it as Prisma does", async () => {
    const local = readLocalMigrations(dir);
    expect(await pendingPostgresMigrations(t.url, dir)).toEqual(local.map((m) => m.name));

    expect(await migratePostgres(t.url, { dir, log: () => undefined })).toEqual(local.map((m) => m.name));
    expect(await migratePostgres(t.url, { dir, log: () => undefined })).toEqual([]);
    expect(await pendingPostgresMigrations(t.url, dir)).toEqual([]);

    const rows = await ledger();
    expect(rows.map((r) => r.migration_name)).toEqual(local.map((m) => m.name));
    for (const [i, row] of rows.entries()) {
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      // Prisma's checksum: SHA-256 of the file, hex.
      expect(row.checksum).toBe(migrationChecksum(local[i]!.sql));
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    // Prisma's column types, so its engine reads the same table.
    const columns = await adminQuery<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
      [],
      t.url,
    );
    expect(columns.map((c) => `${c.column_name} ${c.data_type}`)).toEqual([
      "id character varying",
      "checksum character varying",
      "finished_at timestamp with time zone",
      "migration_name character varying",
      "logs text",
      "rolled_back_at timestamp with time zone",
      "started_at timestamp with time zone",
      "applied_steps_count integer",
    ]);
  });

  it("keeps a ledger Prisma's own `migrate status` reads and agrees with", async () => {
    // Its answer (it exits with 1 when something is pending, so the output is read either way).
    const status = () => {
      try {
        return execFileSync(
          "node_modules/.bin/prisma",
          ["migrate", "status", "--config", "prisma/postgresql/prisma.config.ts"],
          {
            env: { ...process.env, DATABASE_URL: t.url },
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
          },
        );
      } catch (error) {
        return String((error as { stdout?: string }).stdout);
      }
    };
    // The committed migrations (not the test's copy): Prisma reads prisma/postgresql/migrations.
    const committed = readLocalMigrations();
    await migratePostgres(t.url, { log: () => undefined });
    expect(status()).toMatch(/Database schema is up to date/);

    const last = committed[committed.length - 1]!.name;
    await adminQuery(`DELETE FROM "_prisma_migrations" WHERE "migration_name" = $1`, [last], t.url);
    expect(status()).toMatch(new RegExp(`not yet been applied:\\s+${last}`));
  });

  it("migrates once when several appliers (processes starting together) race", async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () => migratePostgres(t.url, { dir, log: () => undefined })),
    );
    const local = readLocalMigrations(dir).map((m) => m.name);
    // Each migration applied by exactly one of them; the others found it done after the lock.
    expect(results.flat().sort()).toEqual(local);
    expect((await ledger()).map((r) => r.migration_name)).toEqual(local);
  });

  it("applies a new migration on top, and refuses one that was changed after it was applied", async () => {
    await migratePostgres(t.url, { dir, log: () => undefined });
    const folder = join(dir, "29990101000000_add_note");
    cpSync(join(dir, readLocalMigrations(dir)[0]!.name), folder, { recursive: true });
    writeFileSync(join(folder, "migration.sql"), `ALTER TABLE "Campaign" ADD COLUMN "note" TEXT;\n`);
    expect(await migratePostgres(t.url, { dir, log: () => undefined })).toEqual(["29990101000000_add_note"]);

    writeFileSync(join(folder, "migration.sql"), `ALTER TABLE "Campaign" ADD COLUMN "note" VARCHAR(10);\n`);
    await expect(migratePostgres(t.url, { dir, log: () => undefined })).rejects.toThrow(
      /29990101000000_add_note was changed after it was applied/,
    );
  });

  it("rolls a failing migration back entirely, records the failure, and refuses to go on until it is resolved", async () => {
    await migratePostgres(t.url, { dir, log: () => undefined });
    const folder = join(dir, "29990101000000_broken");
    cpSync(join(dir, readLocalMigrations(dir)[0]!.name), folder, { recursive: true });
    // The first statement would succeed; the second fails, so neither may remain.
    writeFileSync(
      join(folder, "migration.sql"),
      `ALTER TABLE "Campaign" ADD COLUMN "note" TEXT;\nALTER TABLE "NoSuchTable" ADD COLUMN "x" TEXT;\n`,
    );
    await expect(migratePostgres(t.url, { dir, log: () => undefined })).rejects.toThrow(
      /29990101000000_broken failed and was rolled back: relation "NoSuchTable" does not exist/,
    );
    const columns = await adminQuery(
      `SELECT 1 FROM information_schema.columns WHERE table_name = 'Campaign' AND column_name = 'note'`,
      [],
      t.url,
    );
    expect(columns).toHaveLength(0);
    const broken = (await ledger()).find((r) => r.migration_name === "29990101000000_broken");
    expect(broken?.finished_at).toBeNull();
    expect(broken?.logs).toMatch(/NoSuchTable/);

    // Even with the file fixed, it refuses until someone marks the failure resolved, as Prisma does.
    writeFileSync(join(folder, "migration.sql"), `ALTER TABLE "Campaign" ADD COLUMN "note" TEXT;\n`);
    await expect(migratePostgres(t.url, { dir, log: () => undefined })).rejects.toThrow(
      /29990101000000_broken failed earlier.*migrate resolve --rolled-back 29990101000000_broken/s,
    );
    await adminQuery(
      `UPDATE "_prisma_migrations" SET "rolled_back_at" = now() WHERE "migration_name" = '29990101000000_broken'`,
      [],
      t.url,
    );
    expect(await migratePostgres(t.url, { dir, log: () => undefined })).toEqual(["29990101000000_broken"]);
  });
});
