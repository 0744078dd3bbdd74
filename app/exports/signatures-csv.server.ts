// The signature export: a CSV streamed from the database a page at a time (keyset on the
// signature id), so a million rows take the memory of one page. Used by the export route and
// by scripts/export-signatures.ts (the command line, the memory test and the benchmark).
import { stringify } from "csv-stringify";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Db } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client";
import type { SignatureFilter } from "./signature-filter";

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

/** The rows a filter selects. Erased signatures are never exported: their personal data is gone. */
export function signatureWhere(campaignId: string, filter: SignatureFilter): Prisma.SignatureWhereInput {
  const where: Prisma.SignatureWhereInput = { campaignId, erasedAt: null };
  switch (filter.status) {
    case "confirmed":
      Object.assign(where, { status: "confirmed", moderation: { not: "rejected" } });
      break;
    case "pending":
      where.status = "pending";
      break;
    case "review":
    case "rejected":
      where.moderation = filter.status;
      break;
  }
  if (filter.state) where.state = filter.state;
  if (filter.from || filter.to) {
    where.createdAt = {
      ...(filter.from ? { gte: new Date(`${filter.from}T00:00:00.000Z`) } : {}),
      // "to" is a whole day: everything before the next midnight (UTC).
      ...(filter.to ? { lt: new Date(Date.parse(`${filter.to}T00:00:00.000Z`) + 86_400_000) } : {}),
    };
  }
  return where;
}

/** signatures-<campaign>-YYYY-MM-DD.csv, dated the day of the export (UTC). */
export function exportFileName(slug: string, now = new Date()): string {
  return `signatures-${slug}-${now.toISOString().slice(0, 10)}.csv`;
}

const SELECT = {
  id: true,
  createdAt: true,
  confirmedAt: true,
  status: true,
  moderation: true,
  firstName: true,
  lastName: true,
  email: true,
  street: true,
  city: true,
  state: true,
  zip: true,
  district: true,
  points: true,
  message: true,
  consentToContact: true,
  unsubscribedAt: true,
} satisfies Prisma.SignatureSelect;

type Row = Prisma.SignatureGetPayload<{ select: typeof SELECT }>;

function csvRecord(s: Row): string[] {
  let points: string;
  try {
    points = (JSON.parse(s.points) as string[]).join("; ");
  } catch {
    points = s.points;
  }
  return [
    s.createdAt.toISOString(),
    s.confirmedAt?.toISOString() ?? "",
    s.status,
    s.moderation,
    s.firstName,
    s.lastName,
    s.email,
    s.street,
    s.city,
    s.state,
    s.zip,
    s.district === null ? "" : String(s.district),
    points,
    s.message ?? "",
    s.consentToContact ? "yes" : "no",
    s.unsubscribedAt ? "yes" : "no",
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

/** The selected signatures in the order they were signed, read a page at a time (keyset). */
export async function* signaturePages(db: Db, where: Prisma.SignatureWhereInput, pageSize = 1000) {
  let last: Row | undefined;
  for (;;) {
    const page: Row[] = await db.signature.findMany({
      where: last ? { AND: [where, afterRow(last)] } : where,
      orderBy: SIGNING_ORDER,
      take: pageSize,
      select: SELECT,
    });
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
  options: { pageSize?: number; onRows?: (rows: number) => void } = {},
): Promise<number> {
  let rows = 0;
  async function* records() {
    for await (const page of signaturePages(db, signatureWhere(campaignId, filter), options.pageSize)) {
      for (const s of page) {
        rows++;
        yield csvRecord(s);
      }
      options.onRows?.(rows);
    }
  }
  await pipeline(
    Readable.from(records()),
    stringify({ bom: true, header: true, columns: [...CSV_COLUMNS], record_delimiter: "windows" }),
    out,
  );
  return rows;
}
