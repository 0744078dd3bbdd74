// The PostgreSQL twin stays in step with the SQLite source of truth: the generated schema is what
// the generator makes of prisma/schema.prisma now; every SQLite migration has its PostgreSQL twin;
// the PostgreSQL migrations build exactly the schema Prisma expects; and the hand-written counter
// triggers keep the same counts as the SQLite ones.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "~/db/client.server";
import { createTestDb, type TestDb } from "../../../test/db";
import { adminQuery, createPgTestDb, pgTestsOff, type PgTestDb } from "../../../test/pg";
import { postgresSchemaFrom } from "./pg-schema";

const folders = (dir: string) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

describe("the PostgreSQL schema", () => {
  it("is the one generated from prisma/schema.prisma (run `npm run db:pg:generate` after changing the models)", () => {
    const generated = postgresSchemaFrom(readFileSync("prisma/schema.prisma", "utf8"));
    expect(readFileSync("prisma/postgresql/schema.prisma", "utf8")).toBe(generated);
  });

  it("has one migration per SQLite migration, under the same name", () => {
    expect(folders("prisma/postgresql/migrations")).toEqual(folders("prisma/migrations"));
  });
});

/** Tables, columns, keys and indexes, as PostgreSQL's catalog describes them. */
async function describeSchema(url: string): Promise<string[]> {
  const columns = await adminQuery<{ line: string }>(
    `SELECT format('column %s.%s %s %s default %s', table_name, column_name, data_type, is_nullable, coalesce(column_default, '-')) AS line
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    [],
    url,
  );
  const indexes = await adminQuery<{ line: string }>(
    `SELECT format('index %s', indexdef) AS line FROM pg_indexes
      WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
    [],
    url,
  );
  const constraints = await adminQuery<{ line: string }>(
    `SELECT format('constraint %s.%s %s', t.relname, c.conname, pg_get_constraintdef(c.oid)) AS line
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
      WHERE c.connamespace = 'public'::regnamespace AND t.relname <> '_prisma_migrations'`,
    [],
    url,
  );
  return [...columns, ...indexes, ...constraints].map((r) => r.line).sort();
}

describe.skipIf(pgTestsOff)("the PostgreSQL migrations", () => {
  let migrated: PgTestDb;
  let direct: PgTestDb;
  beforeAll(async () => {
    migrated = await createPgTestDb();
    // The schema straight from the model, as `prisma migrate diff` writes it from nothing.
    direct = await createPgTestDb({ migrate: false });
    const sql = execFileSync(
      "node_modules/.bin/prisma",
      [
        "migrate",
        "diff",
        "--config",
        "prisma/postgresql/prisma.config.ts",
        "--from-empty",
        "--to-schema-datamodel",
        "prisma/postgresql/schema.prisma",
        "--script",
      ],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    await adminQuery(sql, [], direct.url);
  });
  afterAll(async () => {
    await migrated?.cleanup();
    await direct?.cleanup();
  });

  it("build exactly the schema of prisma/postgresql/schema.prisma", async () => {
    const fromMigrations = await describeSchema(migrated.url);
    const fromModel = await describeSchema(direct.url);
    expect(fromMigrations.length).toBeGreaterThan(100);
    expect(fromMigrations).toEqual(fromModel);
  });

  it("keep the dashboard's counters exactly as the SQLite triggers do", async () => {
    const sqlite: TestDb = await createTestDb();
    try {
      await exerciseCounters(sqlite.db);
      await exerciseCounters(migrated.db);
      const [a, b] = [await readCounters(sqlite.db), await readCounters(migrated.db)];
      expect(b).toEqual(a);
      // And the counts are the right ones, not merely equal.
      expect(a.campaign).toEqual({ confirmedCount: 2, pendingCount: 1 });
      expect(a.days).toEqual([
        { day: "2026-03-01", signed: 3, confirmed: 1 },
        { day: "2026-03-02", signed: 1, confirmed: 1 },
      ]);
      expect(a.areas).toEqual([
        { state: "WA", district: -1, confirmed: 1 },
        { state: "WA", district: 7, confirmed: 1 },
        { state: "WA", district: 9, confirmed: 0 },
      ]);
      expect(a.deliveries).toEqual([
        { officeId: "office-1", status: "failed", count: 0 },
        { officeId: "office-1", status: "queued", count: 1 },
        { officeId: "office-1", status: "sending", count: 0 },
        { officeId: "office-1", status: "sent", count: 1 },
      ]);
    } finally {
      await sqlite.cleanup();
    }
  });
});

/** The same changes, row by row, through Prisma: what the app, the worker and moderation do. */
async function exerciseCounters(db: Db) {
  await db.campaign.create({
    data: { id: "campaign-1", slug: "parity", title: "t", summary: "s", body: "b", template: "memo" },
  });
  await db.office.create({
    data: {
      id: "office-1",
      key: "S-WA-1",
      chamber: "senate",
      title: "Senator",
      firstName: "M",
      lastName: "C",
      fullName: "M C",
      state: "WA",
    },
  });
  const signature = (id: string, fields: { status: string; createdAt: string; district?: number | null }) =>
    db.signature.create({
      data: {
        id,
        campaignId: "campaign-1",
        firstName: "A",
        lastName: id,
        email: `${id}@example.org`,
        street: "1 Main St",
        city: "Seattle",
        state: "WA",
        zip: "98101",
        district: fields.district ?? null,
        points: "[]",
        status: fields.status,
        createdAt: new Date(fields.createdAt),
        confirmedAt: fields.status === "confirmed" ? new Date(fields.createdAt) : null,
      },
    });
  await signature("s1", { status: "pending", createdAt: "2026-03-01T10:00:00Z", district: 7 });
  await signature("s2", { status: "confirmed", createdAt: "2026-03-01T23:59:59.999Z" });
  await signature("s3", { status: "pending", createdAt: "2026-03-01T08:00:00Z", district: 7 });
  await signature("s4", { status: "confirmed", createdAt: "2026-03-02T00:00:00Z", district: 9 });
  // Confirmed the next day: counted on the day of confirmation.
  await db.signature.update({
    where: { id: "s1" },
    data: { status: "confirmed", confirmedAt: new Date("2026-03-02T09:00:00Z") },
  });
  // Rejected, restored, rejected again; and one deleted while it counted.
  await db.signature.update({ where: { id: "s2" }, data: { moderation: "rejected" } });
  await db.signature.update({ where: { id: "s2" }, data: { moderation: "approved" } });
  await db.signature.update({ where: { id: "s4" }, data: { moderation: "rejected" } });
  await db.signature.update({ where: { id: "s4" }, data: { moderation: "rejected", moderatedBy: "again" } });
  await signature("s5", { status: "confirmed", createdAt: "2026-03-01T12:00:00Z", district: 7 });
  await db.signature.delete({ where: { id: "s5" } });
  // s1: confirmed on 03-02, district 7; s2: confirmed on 03-01, no district; s3 pending.
  // s4 (rejected) still counts as signed on 03-02, s5's signing is gone with it.

  await db.letter.createMany({
    data: ["s1", "s2", "s3"].map((s) => ({
      id: `letter-${s}`,
      signatureId: s,
      officeId: "office-1",
      subject: "x",
      salutation: "x",
      bodyText: "x",
      bodyHtml: "x",
    })),
  });
  await db.delivery.createMany({
    data: ["s1", "s2", "s3"].map((s) => ({
      id: `delivery-${s}`,
      letterId: `letter-${s}`,
      campaignId: "campaign-1",
      officeId: "office-1",
    })),
  });
  await db.delivery.update({ where: { id: "delivery-s1" }, data: { status: "sending" } });
  await db.delivery.update({ where: { id: "delivery-s1" }, data: { status: "sent" } });
  await db.delivery.update({ where: { id: "delivery-s2" }, data: { status: "sending" } });
  await db.delivery.update({ where: { id: "delivery-s2" }, data: { status: "failed" } });
  await db.delivery.update({ where: { id: "delivery-s2" }, data: { attempts: 3 } });
  await db.delivery.delete({ where: { id: "delivery-s2" } });
}

async function readCounters(db: Db) {
  return {
    campaign: await db.campaign.findUniqueOrThrow({
      where: { id: "campaign-1" },
      select: { confirmedCount: true, pendingCount: true },
    }),
    days: await db.campaignDay.findMany({
      select: { day: true, signed: true, confirmed: true },
      orderBy: { day: "asc" },
    }),
    areas: await db.campaignArea.findMany({
      select: { state: true, district: true, confirmed: true },
      orderBy: [{ state: "asc" }, { district: "asc" }],
    }),
    deliveries: await db.campaignOfficeDelivery.findMany({
      select: { officeId: true, status: true, count: true },
      orderBy: [{ officeId: "asc" }, { status: "asc" }],
    }),
  };
}
