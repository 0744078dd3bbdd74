// The audit log, for owners: every export (who, when, which filter, how many rows), invitation
// and role change, newest first.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { listAudit } from "~/audit/audit.server";
import { db } from "~/db/client.server";
import { AdminNav } from "~/organizers/admin-nav";
import dashboardCss from "~/organizers/dashboard.css?url";
import { requireOrganizer } from "~/organizers/session.server";

export const meta: MetaFunction = () => [{ title: "Audit log · Sincerely organizers" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardCss }];

const KINDS: Record<string, string> = {
  "": "Everything",
  export: "Exports",
  organizer: "Team changes",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request, "owner");
  const url = new URL(request.url);
  const kind = url.searchParams.get("kind") ?? "";
  const log = await listAudit(db(), {
    action: KINDS[kind] !== undefined && kind ? kind : undefined,
    before: url.searchParams.get("before") ?? undefined,
  });
  return { organizer: { email: organizer.email, role: organizer.role }, kind, ...log };
}

function describe(detail: string): string {
  try {
    const parsed = JSON.parse(detail) as Record<string, unknown>;
    return Object.entries(parsed)
      .filter(([, v]) => v !== undefined && v !== null && v !== "")
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join(", ");
  } catch {
    return detail;
  }
}

export default function Audit() {
  const { organizer, kind, events, next } = useLoaderData<typeof loader>();
  return (
    <section>
      <AdminNav email={organizer.email} role={organizer.role} />
      <h1>Audit log</h1>
      <Form method="get" className="filter-form">
        <div className="field">
          <label htmlFor="audit-kind">Show</label>
          <select id="audit-kind" name="kind" defaultValue={kind}>
            {Object.entries(KINDS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <button type="submit" className="button">
            Show
          </button>
        </div>
      </Form>
      {events.length === 0 ? (
        <p>Nothing recorded yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Details</th>
              <th scope="col">Rows</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td>{e.at.replace("T", " ").slice(0, 19)}</td>
                <td>{e.actor}</td>
                <td>{e.action}</td>
                <td>{describe(e.detail)}</td>
                <td>{e.rows ?? "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next ? (
        <p>
          <Link to={`?${new URLSearchParams({ kind, before: next })}`}>Older events</Link>
        </p>
      ) : null}
    </section>
  );
}
