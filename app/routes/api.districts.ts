// The districts a ZIP code lies in, so the form can ask "who represents you?" before posting.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db/client.server";
import { districtCandidates } from "~/targets/resolve.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const zip = (url.searchParams.get("zip") ?? "").trim();
  const state = (url.searchParams.get("state") ?? "").trim().toUpperCase() || undefined;
  if (!/^\d{5}$/.test(zip)) {
    return Response.json({ error: "zip must be 5 digits", candidates: [] }, { status: 400 });
  }
  const candidates = await districtCandidates(db(), zip, state);
  return Response.json({ candidates }, { headers: { "Cache-Control": "public, max-age=3600" } });
}
