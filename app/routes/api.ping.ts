// A trivial answer from the running app, for load balancers' health checks and as the benchmark's
// baseline: `npm run bench` compares the sign form's throughput with this route's, served by the same
// server in the same run (bench/README.md). It reads the posted form, like the sign action, but
// touches no database.
import type { ActionFunctionArgs } from "@remix-run/node";
import { readForm } from "~/security/read-form.server";

export function loader() {
  return Response.json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  return Response.json({ ok: true, fields: [...form.keys()].length }, { headers: { "Cache-Control": "no-store" } });
}
