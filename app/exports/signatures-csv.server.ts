// The signature export: a CSV streamed from the database a page at a time (keyset in signing
// order, in plain SQL on the direct road: signatures-csv.sql.server.ts), so a million rows take the
// memory of one page. Used by the export route and by scripts/export-signatures.ts (the command
// line, the memory test and the benchmark).
import { stringify } from "csv-stringify";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Db } from "~/db/client.server";
import { dbDate } from "~/db/direct-sql.server";
import type { Prisma } from "~/generated/prisma/client";
import type { SignatureFilter } from "./signature-filter";
import { signaturePageReader, type CsvRow } from "./signatures-csv.sql.server";

/**
 * Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return
 * before one) as a formula: a supporter's "=HYPERLINK(…)" must stay text. A leading
 * apostrophe is what the spreadsheets themselves use to say "this is text".
 */
export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export const CSV_COLUMNS = [
  "signed_at",
  "confirmed_at",
  "status",
  "moderation",
  "first_name",
  "last_name",
  "email",
  "street",
  "city",
  "state",
  "zip",
  "district",
  "points",
  "message",
  "consent_to_contact",
  "unsubscribed",
] as const;

/** signatures-<campaign>-YYYY-MM-DD.csv, dated the day of the export (UTC). */
export function exportFileName(slug: string, now = new Date()): string {
  return `signatures-${slug}-${now.toISOString().slice(0, 10)}.csv`;
}

const isoText = (value: Date | string) => dbDate(value).toISOString();

function csvRecord(row: CsvRow): string[] {
  let points: string;
  try {
    points = (JSON.parse(row.points) as string[]).join("; ");
  } catch {
    points = row.points;
  }
  return [
    isoText(row.createdAt),
    row.confirmedAt === null ? "" : isoText(row.confirmedAt),
    row.status,
    row.moderation,
    row.firstName,
    row.lastName,
    row.email,
    row.street,
    row.city,
    row.state,
    row.zip,
    row.district === null ? "" : String(row.district),
    points,
    row.message ?? "",
    row.consentToContact ? "yes" : "no", // true, or 1 from SQLite
    row.unsubscribedAt ? "yes" : "no",
  ].map(neutraliseCell);
}

/**
 * The condition for "after this row" in signing order (createdAt, then id for rows signed in the
 * same millisecond). Written so that SQLite walks the (campaignId, createdAt) index from the last
 * row on: each page costs the page, not the rows before it.
 */
export function afterRow(last: { createdAt: Date; id: string }): Prisma.SignatureWhereInput {
  return {
    createdAt: { gte: last.createdAt },
    OR: [{ createdAt: { gt: last.createdAt } }, { id: { gt: last.id } }],
  };
}

export const SIGNING_ORDER = [{ createdAt: "asc" }, { id: "asc" }] satisfies Prisma.SignatureOrderByWithRelationInput[];

/**
 * The CSV's rows in signing order, a page at a time (keyset, see signaturePageReader). Each page
 * is its own short read, so an export to a slow client holds no transaction open.
 */
async function* csvRowPages(db: Db, campaignId: string, filter: SignatureFilter, pageSize: number) {
  const readPage = signaturePageReader(db, campaignId, filter, pageSize);
  let last: CsvRow | undefined;
  for (;;) {
    // SQLite's driver is synchronous: between pages the event loop gets a turn, so that the
    // server goes on answering (and the inline worker renewing its leases) during a long export.
    await new Promise((resolve) => setImmediate(resolve));
    const page = await readPage(last);
    if (page.length === 0) return;
    yield page;
    if (page.length < pageSize) return;
    last = page[page.length - 1];
  }
}

/**
 * Writes the CSV (UTF-8 with a byte-order mark, so spreadsheet programs read accents) to
 * `out` and resolves with the number of signature rows written. Back-pressure is respected:
 * the next page is read only when the consumer has taken the previous one.
 */
export async function writeSignaturesCsv(
  db: Db,
  campaignId: string,
  filter: SignatureFilter,
  out: Writable,
  options: {
    pageSize?: number;
    onRows?: (rows: number) => void;
    /** Waited for before each next page: the HTTP client catching up (see AppLoadContext). */
    pace?: () => Promise<void>;
  } = {},
): Promise<number> {
  let rows = 0;
  async function* records() {
    for await (const page of csvRowPages(db, campaignId, filter, options.pageSize ?? 1000)) {
      for (const s of page) {
        rows++;
        yield csvRecord(s);
      }
      options.onRows?.(rows);
      await options.pace?.();
    }
  }
  await pipeline(
    Readable.from(records()),
    stringify({ bom: true, header: true, columns: [...CSV_COLUMNS], record_delimiter: "windows" }),
    out,
  );
  return rows;
}
