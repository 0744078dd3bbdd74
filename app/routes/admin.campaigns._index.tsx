// The organizers' list of campaigns, with status and the trigger-kept counters.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listCampaignsForOrganizers } from "~/campaigns/admin.server";
import { db } from "~/db/client.server";
import { AdminNav } from "~/organizers/admin-nav";
import { requireOrganizer } from "~/organizers/session.server";

export const meta: MetaFunction = () => [{ title: "Campaigns · Sincerely organizers" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request, "viewer");
  return {
    organizer: { email: organizer.email, role: organizer.role },
    campaigns: await listCampaignsForOrganizers(db()),
  };
}

const fmt = new Intl.NumberFormat("en-US");
const STATUS = { draft: "Draft", live: "Live", closed: "Closed" } as Record<string, string>;

export default function Campaigns() {
  const { organizer, campaigns } = useLoaderData<typeof loader>();
  const canEdit = organizer.role !== "viewer";
  return (
    <section>
      <AdminNav email={organizer.email} role={organizer.role} />
      <h1>Campaigns</h1>
      {canEdit ? (
        <p>
          <Link to="/admin/campaigns/new" className="button">
            New campaign
          </Link>
        </p>
      ) : null}
      <table>
        <thead>
          <tr>
            <th scope="col">Campaign</th>
            <th scope="col">Status</th>
            <th scope="col">Confirmed</th>
            <th scope="col">Awaiting confirmation</th>
            <th scope="col">Letters sent</th>
            <th scope="col">Failed</th>
            <th scope="col">Held</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {campaigns.map((c) => (
            <tr key={c.id} data-testid={`campaign-row-${c.slug}`}>
              <th scope="row">
                {c.title}
                <br />
                <span className="hint">/c/{c.slug}</span>
              </th>
              <td>
                {STATUS[c.status] ?? c.status}
                {c.mode === "test" ? ", test mode" : ""}
                {c.paused ? ", sending paused" : ""}
              </td>
              <td>
                {fmt.format(c.confirmedCount)} of {fmt.format(c.goal)}
              </td>
              <td>{fmt.format(c.pendingCount)}</td>
              <td>{fmt.format(c.deliveries.sent ?? 0)}</td>
              <td>{fmt.format(c.deliveries.failed ?? 0)}</td>
              <td>{fmt.format(c.deliveries.held ?? 0)}</td>
              <td>
                {canEdit ? <Link to={`/admin/campaigns/${c.slug}/edit`}>Edit {c.title}</Link> : null}{" "}
                <Link to={`/admin/campaigns/${c.slug}/preview`}>Preview letters</Link>{" "}
                <Link to={`/admin/deliveries?campaign=${c.slug}`}>Deliveries</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
