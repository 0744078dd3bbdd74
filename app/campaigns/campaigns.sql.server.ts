// The campaign page's statements, on the direct road (~/db/direct-sql.server): through Prisma
// this read was a quarter of a signature's time. Rows come back as the driver gives them; the
// readers in campaigns.server.ts and ~/targets/office-row.server turn them into the model.
import type { Db } from "~/db/client.server";
import { directSqlOf, type DbRow } from "~/db/direct-sql.server";
import { Prisma, type Campaign, type Office } from "~/generated/prisma/client";

/** The campaign with this slug, if its status is one of `statuses`. */
export async function selectCampaignRow(
  db: Db,
  slug: string,
  statuses: readonly string[],
): Promise<DbRow<Campaign> | undefined> {
  const [row] = await directSqlOf(db).all<DbRow<Campaign>>(Prisma.sql`
    SELECT * FROM "Campaign" WHERE "slug" = ${slug} AND "status" IN (${Prisma.join(statuses)})`);
  return row;
}

/** The active offices a campaign names besides each supporter's own, in no particular order. */
export function selectExtraOfficeRows(db: Db, campaignId: string): Promise<DbRow<Office>[]> {
  return directSqlOf(db).all<DbRow<Office>>(Prisma.sql`
    SELECT o.* FROM "CampaignOffice" co JOIN "Office" o ON o."id" = co."officeId"
     WHERE co."campaignId" = ${campaignId} AND o."active" = ${true}`);
}
