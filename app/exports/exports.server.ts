// Export requests from the organizers' area: find the campaign, log the export in the audit
// log, and answer with the streamed file.
import { createReadableStreamFromReadable } from "@remix-run/node";
import { PassThrough } from "node:stream";
import { finishAudit, recordAudit, type Actor } from "~/audit/audit.server";
import type { Db } from "~/db.server";
import type { SignatureFilter } from "./signature-filter";
import { exportFileName, writeSignaturesCsv } from "./signatures-csv.server";

export async function signaturesCsvResponse(db: Db, actor: Actor, filter: SignatureFilter): Promise<Response> {
  const campaign = await db.campaign.findUnique({ where: { slug: filter.campaign }, select: { id: true, slug: true } });
  if (!campaign) throw new Response(`No campaign "${filter.campaign}"`, { status: 404 });
  const eventId = await recordAudit(db, actor, "export.signatures", { ...filter });
  const body = new PassThrough();
  // The response starts at once; rows follow as they are read. The log gets the count at the end
  // (or the count so far, if the download was interrupted).
  let written = 0;
  writeSignaturesCsv(db, campaign.id, filter, body, { onRows: (n) => (written = n) })
    .then((rows) => finishAudit(db, eventId, rows))
    .catch(async (error: Error) => {
      console.error(`[export] signatures export ${eventId} stopped: ${error.message}`);
      await finishAudit(db, eventId, written).catch(() => undefined);
      body.destroy(error);
    });
  return new Response(createReadableStreamFromReadable(body), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exportFileName(campaign.slug)}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
