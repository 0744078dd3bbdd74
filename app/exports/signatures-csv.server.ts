// The signature export: a CSV streamed from the database a page at a time (keyset in signing
// order, in plain SQL), so a million rows take the memory of one page. Used by the export route and
// by scripts/export-signatures.ts (the command line, the memory test and the benchmark).
import { stringify } from "csv-stringify";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import Database from "better-sqlite3";
import { dbProvider, sqliteFileOf, type Db } from "~/db/client.server";
import { sqliteDate, sqliteDateText } from "~/db/direct/sqlite.server";
import { Prisma } from "~/generated/prisma/client";
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

/** signatures-<campaign>-YYYY-MM-DD.csv, dated the day of the export (UTC). */
export function exportFileName(slug: string, now = new Date()): string {
  return `signatures-${slug}-${now.toISOString().slice(0, 10)}.csv`;
}

const isoText = (value: DbDate) => (value instanceof Date ? value : sqliteDate(value)).toISOString();

function csvRecord(row: CsvRow): string[] {
  const [
    ,
    createdAt,
    confirmedAt,
    status,
    moderation,
    firstName,
    lastName,
    email,
    street,
    city,
    state,
    zip,
    district,
    rawPoints,
    message,
    consentToContact,
    unsubscribedAt,
  ] = row;
  let points: string;
  try {
    points = (JSON.parse(rawPoints) as string[]).join("; ");
  } catch {
    points = rawPoints;
  }
  return [
    isoText(createdAt),
    confirmedAt === null ? "" : isoText(confirmedAt),
    status,
    moderation,
    firstName,
    lastName,
    email,
    street,
    city,
    state,
    zip,
    district === null ? "" : String(district),
    points,
    message ?? "",
    consentToContact ? "yes" : "no", // true, or 1 from SQLite
    unsubscribedAt ? "yes" : "no",
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

/** The columns read for each row, in the order the driver hands them over (rows as arrays). */
const ROW_COLUMNS = [
  "id",
  "createdAt",
  "confirmedAt",
  "status",
  "moderation",
  "firstName",
  "lastName",
  "email",
  "street",
  "city",
  "state",
  "zip",
  "district",
  "points",
  "message",
  "consentToContact",
  "unsubscribedAt",
] as const;

/** A date as the driver returns it: a Date (PostgreSQL) or the stored text (SQLite). */
type DbDate = Date | string;

/** One row, as an array in ROW_COLUMNS' order: no object per row, which a million rows feel. */
type CsvRow = [
  id: string,
  createdAt: DbDate,
  confirmedAt: DbDate | null,
  status: string,
  moderation: string,
  firstName: string,
  lastName: string,
  email: string,
  street: string,
  city: string,
  state: string,
  zip: string,
  district: number | null,
  points: string,
  message: string | null,
  consentToContact: boolean | number,
  unsubscribedAt: DbDate | null,
];

const CSV_SELECT = Prisma.sql`SELECT ${Prisma.raw(ROW_COLUMNS.map((c) => `"${c}"`).join(", "))} FROM "Signature"`;

/**
 * The rows a filter selects, as SQL. Erased signatures are never exported: their personal data is gone. `date` turns a date into what the column is compared
 * with: a Date for PostgreSQL, the adapter's ISO text for SQLite (see sqliteDateText).
 */
function filterSql(campaignId: string, filter: SignatureFilter, date: (d: Date) => Date | string): Prisma.Sql {
  const parts = [Prisma.sql`"campaignId" = ${campaignId}`, Prisma.sql`"erasedAt" IS NULL`];
  switch (filter.status) {
    case "confirmed":
      parts.push(Prisma.sql`"status" = 'confirmed'`, Prisma.sql`"moderation" <> 'rejected'`);
      break;
    case "pending":
      parts.push(Prisma.sql`"status" = 'pending'`);
      break;
    case "review":
    case "rejected":
      parts.push(Prisma.sql`"moderation" = ${filter.status}`);
      break;
  }
  if (filter.state) parts.push(Prisma.sql`"state" = ${filter.state}`);
  if (filter.from) parts.push(Prisma.sql`"createdAt" >= ${date(new Date(`${filter.from}T00:00:00.000Z`))}`);
  if (filter.to) {
    parts.push(Prisma.sql`"createdAt" < ${date(new Date(Date.parse(`${filter.to}T00:00:00.000Z`) + 86_400_000))}`);
  }
  return Prisma.join(parts, " AND ");
}

/**
 * The CSV's rows in signing order, a page at a time (keyset, as signaturePages), in plain SQL.
 * At a million rows Prisma's row mapping and the garbage it leaves were over half of the
 * export's time (bench/README.md), so the query is written out: on SQLite it runs through the
 * driver on a connection of its own, on PostgreSQL through the client's raw query. Each page is
 * its own short read, so an export to a slow client holds no transaction open.
 */
async function* csvRowPages(db: Db, campaignId: string, filter: SignatureFilter, pageSize: number) {
  const file = dbProvider(db) === "sqlite" ? sqliteFileOf(db) : undefined;
  if (dbProvider(db) === "sqlite" && !file) throw new Error("The export needs a client made by createDb");
  const date = file ? sqliteDateText : (d: Date) => d;
  const where = filterSql(campaignId, filter, date);
  // After the last row in signing order (see afterRow); its createdAt goes back as the driver gave it.
  const pageSql = (last: CsvRow | undefined) =>
    Prisma.sql`${CSV_SELECT} WHERE ${where}${
      last
        ? Prisma.sql` AND "createdAt" >= ${last[1]} AND ("createdAt" > ${last[1]} OR "id" > ${last[0]})`
        : Prisma.empty
    } ORDER BY "createdAt", "id" LIMIT ${pageSize}`;

  let read: (sql: Prisma.Sql) => Promise<CsvRow[]>;
  let close = () => {};
  if (file) {
    // Its own connection (WAL: readers never wait for the app's writer; the same better-sqlite3
    // as Prisma's adapter, see package.json's overrides). Values come back as stored: dates as
    // text, booleans as 0/1; csvRecord reads both forms.
    const sqlite = new Database(file, { fileMustExist: true, timeout: 5000 });
    const statements = new Map<string, Database.Statement>();
    read = async (sql) => {
      // The driver is synchronous: between pages the event loop gets a turn, so that the server
      // goes on answering (and the inline worker renewing its leases) during a long export.
      await new Promise((resolve) => setImmediate(resolve));
      let statement = statements.get(sql.sql);
      if (!statement) statements.set(sql.sql, (statement = sqlite.prepare(sql.sql).raw(true)));
      return statement.all(...(sql.values as unknown[])) as CsvRow[];
    };
    close = () => sqlite.close();
  } else {
    read = async (sql) =>
      (await db.$queryRaw<Record<string, unknown>[]>(sql)).map((row) => ROW_COLUMNS.map((c) => row[c]) as CsvRow);
  }
  try {
    let last: CsvRow | undefined;
    for (;;) {
      const page = await read(pageSql(last));
      if (page.length === 0) return;
      yield page;
      if (page.length < pageSize) return;
      last = page[page.length - 1];
    }
  } finally {
    close();
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
