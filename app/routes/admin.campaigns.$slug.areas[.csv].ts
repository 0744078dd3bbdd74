// GET /admin/campaigns/:slug/areas.csv — confirmed signatures per state and district.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordAudit } from "~/audit/audit.server";
import { db } from "~/db/client.server";
import { areaCountsCsv } from "~/exports/area-counts.server";
import { requireOrganizer } from "~/organizers/session.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request, "organizer");
  const campaign = await db().campaign.findUnique({ where: { slug: params.slug ?? "" } });
  if (!campaign) throw new Response("No such campaign", { status: 404 });
  const { csv, rows } = await areaCountsCsv(db(), campaign.id);
  await recordAudit(db(), organizer, "export.areas", { campaign: campaign.slug }, rows);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="districts-${campaign.slug}-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
