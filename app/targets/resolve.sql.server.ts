// The reads of resolving a supporter's offices, on the direct road (~/db/direct-sql.server): every
// signature asks, and through Prisma these reads cost more than the rest of the lookup. Rows come
// back as the driver gives them (offices are read into the model by ./office-row.server).
import type { Db } from "~/db/client.server";
import { directSqlOf, type DbRow } from "~/db/direct-sql.server";
import { Prisma, type Office } from "~/generated/prisma/client";

/** The districts a ZIP lies in, in state and district order (only in `state`, if given). */
export function selectZipDistricts(
  db: Db,
  zip: string,
  state?: string,
): Promise<{ zip: string; state: string; district: number }[]> {
  return directSqlOf(db).all<{ zip: string; state: string; district: number }>(Prisma.sql`
    SELECT "zip", "state", "district" FROM "ZipDistrict"
     WHERE "zip" = ${zip}${state ? Prisma.sql` AND "state" = ${state}` : Prisma.empty}
     ORDER BY "state", "district"`);
}

/** Whether the ZIP table knows this ZIP at all (in any state). */
export async function zipIsKnown(db: Db, zip: string): Promise<boolean> {
  const [row] = await directSqlOf(db).all(Prisma.sql`SELECT 1 FROM "ZipDistrict" WHERE "zip" = ${zip} LIMIT 1`);
  return row !== undefined;
}

/** Which offices to read: any of the White House, a state's senators, a state's representative. */
export interface WantedOffices {
  whiteHouse: boolean;
  senatorsOf: string | null;
  representativeOf: { state: string; district: number } | null;
}

/** The active offices wanted, in one read (each query costs a signature time); none wanted, no read. */
export async function selectWantedOfficeRows(db: Db, want: WantedOffices): Promise<DbRow<Office>[]> {
  const wanted = [
    ...(want.whiteHouse ? [Prisma.sql`"chamber" = 'white_house'`] : []),
    ...(want.senatorsOf !== null ? [Prisma.sql`("chamber" = 'senate' AND "state" = ${want.senatorsOf})`] : []),
    ...(want.representativeOf !== null
      ? [
          Prisma.sql`("chamber" = 'house' AND "state" = ${want.representativeOf.state} AND "district" = ${want.representativeOf.district})`,
        ]
      : []),
  ];
  if (wanted.length === 0) return [];
  return directSqlOf(db).all<DbRow<Office>>(Prisma.sql`
    SELECT * FROM "Office" WHERE "active" = ${true} AND (${Prisma.join(wanted, " OR ")})`);
}
