// GET /admin/exports/signatures.csv?campaign=…&status=…&state=…&from=…&to=… — the streamed CSV.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db/client.server";
import { signaturesCsvResponse } from "~/exports/exports.server";
import { SignatureFilterSchema, filterErrors } from "~/exports/signature-filter";
import { requireOrganizer } from "~/organizers/session.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request, "organizer");
  const parsed = SignatureFilterSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const errors = filterErrors(parsed.error);
    throw new Response(
      Object.entries(errors)
        .map(([field, message]) => `${field}: ${message}`)
        .join("\n"),
      {
        status: 400,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      },
    );
  }
  return signaturesCsvResponse(db(), organizer, parsed.data, request.signal, context.clientCaughtUp);
}
