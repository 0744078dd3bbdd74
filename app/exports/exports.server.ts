// Export requests from the organizers' area: find the campaign, log the export in the audit
// log, and answer with the streamed file.
import { createReadableStreamFromReadable } from "@remix-run/node";
import { PassThrough } from "node:stream";
import { finishAudit, recordAudit, type Actor } from "~/audit/audit.server";
import type { Db } from "~/db/client.server";
import type { SignatureFilter } from "./signature-filter";
import { exportFileName, writeSignaturesCsv } from "./signatures-csv.server";

/**
 * Ends a streamed export's body when the request is aborted. Remix's Express adapter goes on
 * reading a response's body after the browser has gone (into a closed socket, to the last row);
 * what it does do is abort the request's signal when the connection closes before the end. Then
 * the export stops, and its audit entry keeps the rows it got to.
 */
export function stopWhenAborted(body: PassThrough, signal: AbortSignal | undefined): void {
  const stop = () => body.destroy(new Error("The download was cut off"));
  if (signal?.aborted) stop();
  else signal?.addEventListener("abort", stop, { once: true });
}

export async function signaturesCsvResponse(
  db: Db,
  actor: Actor,
  filter: SignatureFilter,
  signal?: AbortSignal,
  pace?: () => Promise<void>,
): Promise<Response> {
  const campaign = await db.campaign.findUnique({ where: { slug: filter.campaign }, select: { id: true, slug: true } });
  if (!campaign) throw new Response(`No campaign "${filter.campaign}"`, { status: 404 });
  const eventId = await recordAudit(db, actor, "export.signatures", { ...filter });
  const body = new PassThrough();
  stopWhenAborted(body, signal);
  // The response starts at once; rows follow as they are read. The log gets the count at the end
  // (or the count so far, if the download was interrupted).
  let written = 0;
  writeSignaturesCsv(db, campaign.id, filter, body, { onRows: (n) => (written = n), pace })
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
