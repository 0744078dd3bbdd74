// The signature export: formula neutralising, the filter schema, what each filter selects (on a
// real SQLite file), and a 100,000-row export run in a child process whose every row is checked
// and whose peak memory must not grow with the number of rows.
import Database from "better-sqlite3";
import { parse } from "csv-parse/sync";
import { execFile } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCampaign } from "../../test/seed";
import { createTestDb } from "../../test/db";
import { DATABASES, type TestDatabase } from "../../test/databases";
import { SignatureFilterSchema, filterErrors } from "./signature-filter";
import { CSV_COLUMNS, exportFileName, neutraliseCell, writeSignaturesCsv } from "./signatures-csv.server";

describe("neutralising cells against formula injection", () => {
  it.each([
    ['=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'],
    ["+1 555 0100", "'+1 555 0100"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=1", "'\t=1"],
    ["\r=1", "'\r=1"],
    ["Ada", "Ada"],
    ["José Ñúñez", "José Ñúñez"],
    ["a=b", "a=b"],
    ["", ""],
  ])("%j → %j", (input, expected) => {
    expect(neutraliseCell(input)).toBe(expected);
  });
});

describe("the export filter", () => {
  it("accepts an empty filter but for the campaign, and normalises the state", () => {
    expect(SignatureFilterSchema.parse({ campaign: "x", state: "wa", from: "", to: "" })).toEqual({
      campaign: "x",
      status: "all",
      state: "WA",
      from: undefined,
      to: undefined,
    });
  });

  it("names each wrong field", () => {
    const result = SignatureFilterSchema.safeParse({
      campaign: "",
      status: "sent",
      state: "XX",
      from: "2026-13-40",
    });
    expect(result.success).toBe(false);
    expect(filterErrors(result.error!)).toEqual({
      campaign: "Choose a campaign",
      status: "Choose a status from the list",
      state: "Choose a state from the list",
      from: "Enter a date as YYYY-MM-DD",
    });
  });

  it("refuses a range that ends before it starts", () => {
    const result = SignatureFilterSchema.safeParse({ campaign: "x", from: "2026-05-02", to: "2026-05-01" });
    expect(result.success).toBe(false);
    expect(filterErrors(result.error!)).toEqual({ to: "The end date must be on or after the start date" });
  });

  it("dates the file name", () => {
    expect(exportFileName("ban-landmines", new Date("2026-11-28T23:59:00Z"))).toBe(
      "signatures-ban-landmines-2026-11-28.csv",
    );
  });
});

async function exportToString(t: TestDatabase, campaignId: string, input: Record<string, string>) {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
  const rows = await writeSignaturesCsv(t.db, campaignId, SignatureFilterSchema.parse(input), out, { pageSize: 2 });
  const text = Buffer.concat(chunks).toString("utf8");
  return { rows, text, records: parse(text, { bom: true, columns: true }) as Record<string, string>[] };
}

// The export reads with plain SQL, through the driver on SQLite and the client on PostgreSQL:
// what a filter selects and how pages join must be the same on both.
describe.each(DATABASES)("what a filter exports, on $name", ({ open, skip }) => {
  if (skip) return void it.skip("PG_TESTS=off");
  let t: TestDatabase;
  let campaignId: string;
  let slug: string;
  beforeAll(async () => {
    t = await open();
    const campaign = await seedCampaign(t.db);
    const other = await seedCampaign(t.db);
    campaignId = campaign.id;
    slug = campaign.slug;
    const base = { street: "1 Main St", zip: "98103", points: '["ban","accede"]' };
    const rows = [
      {
        firstName: "Ada",
        state: "WA",
        status: "confirmed",
        createdAt: "2026-05-01T10:00:00Z",
        message: "=cmd|' /C calc'!A0",
      },
      { firstName: "Zoë", state: "WA", status: "pending", createdAt: "2026-05-02T23:59:00Z" },
      { firstName: "Bo", state: "OR", status: "confirmed", createdAt: "2026-05-03T00:00:00Z" },
      { firstName: "Cy", state: "WA", status: "confirmed", moderation: "rejected", createdAt: "2026-05-03T01:00:00Z" },
      { firstName: "Di", state: "WA", status: "confirmed", moderation: "review", createdAt: "2026-05-03T02:00:00Z" },
      {
        firstName: "Erased",
        state: "WA",
        status: "confirmed",
        createdAt: "2026-05-03T03:00:00Z",
        erasedAt: new Date(),
      },
    ];
    for (const [i, r] of rows.entries()) {
      await t.db.signature.create({
        data: {
          ...base,
          ...r,
          createdAt: new Date(r.createdAt),
          campaignId,
          lastName: "Tester",
          city: "Seattle",
          email: `s${i}@example.org`,
        },
      });
    }
    await t.db.signature.create({
      data: {
        ...base,
        campaignId: other.id,
        firstName: "Other",
        lastName: "Campaign",
        city: "X",
        state: "WA",
        email: "o@example.org",
      },
    });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("exports every live signature of the campaign, with a BOM, a header and neutralised cells", async () => {
    const { rows, text, records } = await exportToString(t, campaignId, { campaign: slug });
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.slice(1).split("\r\n")[0]).toBe(CSV_COLUMNS.join(","));
    expect(rows).toBe(5);
    expect(records.map((r) => r.first_name)).toEqual(["Ada", "Zoë", "Bo", "Cy", "Di"]);
    expect(records[0].message).toBe("'=cmd|' /C calc'!A0");
    expect(records[0].points).toBe("ban; accede");
    expect(text).not.toContain("Erased");
    expect(text).not.toContain("Other");
  });

  it("lets the server's other work run while it reads (a turn of the event loop between pages)", async () => {
    // Counted in turns of the event loop (setImmediate), not in timer ticks: a timer needs a
    // millisecond to pass, and on a fast machine three small pages take less than that.
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    await exportToString(t, campaignId, { campaign: slug }); // five rows, pages of two: three pages
    ticking = false;
    expect(turns).toBeGreaterThanOrEqual(2);
  });

  it.each([
    [{ status: "confirmed" }, ["Ada", "Bo", "Di"]],
    [{ status: "pending" }, ["Zoë"]],
    [{ status: "rejected" }, ["Cy"]],
    [{ status: "review" }, ["Di"]],
    [{ state: "OR" }, ["Bo"]],
    [{ from: "2026-05-02", to: "2026-05-02" }, ["Zoë"]],
    [{ from: "2026-05-03" }, ["Bo", "Cy", "Di"]],
    [{ to: "2026-05-01" }, ["Ada"]],
    [{ status: "confirmed", state: "WA", from: "2026-05-02" }, ["Di"]],
  ])("%j selects %j", async (filter, names) => {
    const { records, rows } = await exportToString(t, campaignId, { campaign: slug, ...filter });
    expect(records.map((r) => r.first_name)).toEqual(names);
    expect(rows).toBe(names.length);
  });
});

describe.each(DATABASES)("paging, on $name", ({ open, skip }) => {
  if (skip) return void it.skip("PG_TESTS=off");
  it("loses and repeats no row when many were signed in the same millisecond", async () => {
    const t = await open();
    try {
      const campaign = await seedCampaign(t.db);
      const at = new Date("2026-07-04T12:00:00.000Z");
      for (let i = 0; i < 7; i++) {
        await t.db.signature.create({
          data: {
            campaignId: campaign.id,
            firstName: `Same${i}`,
            lastName: "Moment",
            email: `same${i}@example.org`,
            street: "1 Main St",
            city: "Seattle",
            state: "WA",
            zip: "98103",
            points: "[]",
            createdAt: i === 6 ? new Date(at.getTime() + 1) : at,
          },
        });
      }
      const { records } = await exportToString(t, campaign.id, { campaign: campaign.slug });
      const names = records.map((r) => r.first_name);
      expect(names).toHaveLength(7);
      expect(new Set(names).size).toBe(7);
      expect(names[6]).toBe("Same6");
    } finally {
      await t.cleanup();
    }
  });
});

const exec = promisify(execFile);

/** Writes `count` confirmed signatures straight into the SQLite file, in one transaction. */
function generateSignatures(file: string, campaignId: string, count: number, tag: string) {
  const sqlite = new Database(file);
  const insert = sqlite.prepare(
    `INSERT INTO "Signature" ("id","campaignId","firstName","lastName","email","street","city","state","zip","district",
       "points","message","consentToContact","status","createdAt","confirmedAt","emailsSent","moderation")
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,'none')`,
  );
  // One a second, stored the way Prisma stores dates here (ISO 8601 text with an offset).
  const at = (i: number) => new Date(Date.UTC(2026, 5, 1) + i * 1000).toISOString().replace("Z", "+00:00");
  sqlite.transaction(() => {
    for (let i = 0; i < count; i++) {
      insert.run(
        `${tag}${String(i).padStart(7, "0")}`,
        campaignId,
        i % 7 === 0 ? `=SUM(A${i})` : `Supporter ${i}`,
        `Nüñez, "${i}"`,
        `s${i}.${tag}@example.org`,
        `${i} Main Street`,
        "Seattle",
        "WA",
        "98103",
        7,
        '["ban"]',
        i % 5 === 0 ? `Line one\nline two ${i}` : null,
        i % 2,
        "confirmed",
        at(i),
        at(i),
      );
    }
  })();
  sqlite.close();
}

async function runExport(url: string, slug: string, out: string) {
  const { stderr } = await exec("npx", ["tsx", "scripts/export-signatures.ts", slug, "--out", out], {
    // The JavaScript heap is capped well below what 100,000 rows held at once would need: an export
    // that kept its rows would die here, whatever the allocator does with RSS on a busy machine.
    env: { ...process.env, DATABASE_URL: url, NODE_OPTIONS: "--max-old-space-size=128" },
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(stderr.trim().split("\n").pop()!) as { rows: number; maxRssKb: number };
}

describe("exporting 100,000 signatures", () => {
  // Under a JavaScript heap far too small to hold the rows (runExport); how much memory it takes, and
  // that a million rows take no more than 100,000, is measured by the benchmark (`export`: peak_rss_mb,
  // rss_ratio), not here.
  it("writes every row, neutralised, without holding the rows in memory", { timeout: 300_000 }, async () => {
    const t = await createTestDb();
    const other = await seedCampaign(t.db);
    const large = await seedCampaign(t.db);
    await t.db.$disconnect();
    // Another campaign's signatures, which the export leaves out.
    generateSignatures(t.file, other.id, 1_000, "a");
    generateSignatures(t.file, large.id, 100_000, "b");
    const outLarge = join(tmpdir(), `export-large-${process.pid}.csv`);
    try {
      const largeRun = await runExport(t.url, large.slug, outLarge);
      expect(largeRun.rows).toBe(100_000);

      const records = parse(readFileSync(outLarge), { bom: true, columns: true }) as Record<string, string>[];
      expect(records).toHaveLength(100_000);
      // Row i is the i-th signed: check each of its fields, so no row is lost, doubled or garbled.
      records.forEach((r, i) => {
        const expected = {
          first_name: i % 7 === 0 ? `'=SUM(A${i})` : `Supporter ${i}`,
          last_name: `Nüñez, "${i}"`,
          email: `s${i}.b@example.org`,
          street: `${i} Main Street`,
          state: "WA",
          district: "7",
          message: i % 5 === 0 ? `Line one\nline two ${i}` : "",
          consent_to_contact: i % 2 ? "yes" : "no",
          status: "confirmed",
          signed_at: new Date(Date.UTC(2026, 5, 1) + i * 1000).toISOString(),
        };
        for (const [key, value] of Object.entries(expected)) {
          if (r[key] !== value)
            throw new Error(`row ${i}, ${key}: ${JSON.stringify(r[key])} ≠ ${JSON.stringify(value)}`);
        }
      });
    } finally {
      rmSync(outLarge, { force: true });
      await t.cleanup();
    }
  });
});
