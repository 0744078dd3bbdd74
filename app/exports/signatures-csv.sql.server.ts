// The signature export's pages, in plain SQL on the direct road (~/db/direct-sql.server), on
// SQLite and PostgreSQL alike: at a million rows Prisma's row mapping and the garbage it leaves
// were over half of the export's time (bench/README.md). Each page is its own short read, so an
// export to a slow client holds no transaction open (and on SQLite, in WAL mode, never waits for
// the app's writer). Used by ./signatures-csv.server.ts, which turns the rows into the CSV.
import type { Db } from "~/db/client.server";
import { directSqlOf, type DbRow } from "~/db/direct-sql.server";
import { Prisma, type Signature } from "~/generated/prisma/client";
import type { SignatureFilter } from "./signature-filter";

/** The columns the CSV is made from. */
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
] as const satisfies readonly (keyof Signature)[];

/** One row as the driver gives it: dates as a Date or stored text, booleans as true/false or 1/0. */
export type CsvRow = DbRow<Pick<Signature, (typeof ROW_COLUMNS)[number]>>;

const CSV_SELECT = Prisma.sql`SELECT ${Prisma.raw(ROW_COLUMNS.map((c) => `"${c}"`).join(", "))} FROM "Signature"`;

/**
 * The rows a filter selects, as SQL. Erased signatures are never exported: their personal data is
 * gone. Dates are bound as the direct road binds them (on SQLite the adapter's ISO text, so they
 * compare with the stored text).
 */
function filterSql(campaignId: string, filter: SignatureFilter): Prisma.Sql {
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
  if (filter.from) parts.push(Prisma.sql`"createdAt" >= ${new Date(`${filter.from}T00:00:00.000Z`)}`);
  if (filter.to) {
    parts.push(Prisma.sql`"createdAt" < ${new Date(Date.parse(`${filter.to}T00:00:00.000Z`) + 86_400_000)}`);
  }
  return Prisma.join(parts, " AND ");
}

/**
 * Reads the rows a filter selects in signing order (createdAt, then id for rows signed in the
 * same millisecond), a page of `pageSize` at a time: the reader answers the page after `last`, the
 * last row of the page before (none for the first). Keyset paging, written so that SQLite walks
 * the (campaignId, createdAt) index from the last row on: each page costs the page, not the rows
 * before it. The last row's createdAt goes back as the driver gave it.
 */
export function signaturePageReader(
  db: Db,
  campaignId: string,
  filter: SignatureFilter,
  pageSize: number,
): (last: CsvRow | undefined) => Promise<CsvRow[]> {
  const direct = directSqlOf(db);
  const where = filterSql(campaignId, filter);
  return (last) =>
    direct.all<CsvRow>(
      Prisma.sql`${CSV_SELECT} WHERE ${where}${
        last
          ? Prisma.sql` AND "createdAt" >= ${last.createdAt} AND ("createdAt" > ${last.createdAt} OR "id" > ${last.id})`
          : Prisma.empty
      } ORDER BY "createdAt", "id" LIMIT ${pageSize}`,
    );
}
