// GET /admin/campaigns/:slug/packet/:officeKey/pdf — the hand-delivery packet as a PDF, streamed.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { PassThrough } from "node:stream";
import { finishAudit, recordAudit } from "~/audit/audit.server";
import { db } from "~/db/client.server";
import { stopWhenAborted } from "~/exports/exports.server";
import { findPacket, writePacketPdf } from "~/exports/packet.server";
import { requireOrganizer } from "~/organizers/session.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request, "organizer");
  const packet = await findPacket(db(), params.slug ?? "", params.officeKey ?? "");
  if (!packet) throw new Response("No such campaign or office", { status: 404 });
  const eventId = await recordAudit(db(), organizer, "export.packet.pdf", {
    campaign: packet.campaign.slug,
    office: packet.office.key,
    format: "pdf",
  });
  const body = new PassThrough();
  stopWhenAborted(body, request.signal);
  // As the signature export: the log gets the count at the end, or the letters written so far
  // if the download was interrupted.
  let written = 0;
  writePacketPdf(db(), packet, body, { onLetters: (n) => (written = n), pace: context.clientCaughtUp })
    .then((letters) => finishAudit(db(), eventId, letters))
    .catch(async (error: Error) => {
      console.error(`[export] packet ${eventId} stopped: ${error.message}`);
      await finishAudit(db(), eventId, written).catch(() => undefined);
      body.destroy(error);
    });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(createReadableStreamFromReadable(body), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="packet-${packet.campaign.slug}-${packet.office.key}-${day}.pdf"`,
      "Cache-Control": "no-store",
    },
  });
}
