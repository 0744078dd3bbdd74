// The organizers' dashboard: each campaign's signatures against its goal and where its letters
// are (from the counters the database keeps), and the letters that failed or are held.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "~/db/client.server";
import { AdminNav } from "~/organizers/admin-nav";
import { GoalThermometer, LETTER_STATE_LABELS } from "~/organizers/charts";
import dashboardCss from "~/organizers/dashboard.css?url";
import { campaignOverview, deliveriesNeedingAttention } from "~/organizers/dashboard.server";
import { DELIVERY_STATUSES } from "~/delivery/statuses";
import { roleAllows } from "~/organizers/roles";
import { requireOrganizer } from "~/organizers/session.server";

export const meta: MetaFunction = () => [{ title: "Dashboard · Sincerely organizers" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request, "viewer");
  return {
    organizer: { email: organizer.email, role: organizer.role },
    campaigns: await campaignOverview(db()),
    attention: await deliveriesNeedingAttention(db()),
  };
}

const fmt = new Intl.NumberFormat("en-US");

export default function Dashboard() {
  const { organizer, campaigns, attention } = useLoaderData<typeof loader>();
  const canExport = roleAllows(organizer.role, "organizer");
  return (
    <section>
      <AdminNav email={organizer.email} role={organizer.role} />
      <h1>Dashboard</h1>
      {campaigns.length === 0 ? <p>No campaigns yet.</p> : null}
      {campaigns.map((c) => (
        <article key={c.slug} className="panel" aria-labelledby={`campaign-${c.slug}`}>
          <h2 id={`campaign-${c.slug}`}>
            <Link to={`/admin/campaigns/${c.slug}`}>{c.title}</Link>
          </h2>
          <p>
            {c.status === "live" ? "Live" : c.status === "draft" ? "Draft" : "Closed"}
            {c.paused ? " (letters paused)" : ""},{" "}
            {c.mode === "test" ? (
              <>
                in <strong>test mode</strong>: letters go to {c.testInbox ?? "(no test inbox set: they are held)"}
              </>
            ) : (
              <>
                in <strong>live mode</strong>: letters go to the offices
              </>
            )}
            . <Link to={`/c/${c.slug}`}>Public page</Link>
          </p>
          <GoalThermometer confirmed={c.confirmed} goal={c.goal} label={`${c.title}: progress to the goal`} />
          <table className="counts">
            <caption>Signatures</caption>
            <tbody>
              <tr>
                <th scope="row">Confirmed</th>
                <td data-testid={`confirmed-${c.slug}`} className="numeric">
                  {fmt.format(c.confirmed)} of {fmt.format(c.goal)}
                </td>
              </tr>
              <tr>
                <th scope="row">Waiting for e-mail confirmation</th>
                <td data-testid={`pending-${c.slug}`} className="numeric">
                  {fmt.format(c.pending)}
                </td>
              </tr>
            </tbody>
          </table>
          <table className="counts">
            <caption>Letters</caption>
            <tbody>
              {DELIVERY_STATUSES.map((s) => (
                <tr key={s}>
                  <th scope="row">{LETTER_STATE_LABELS[s]}</th>
                  <td data-testid={`letters-${s}-${c.slug}`} className="numeric">
                    {fmt.format(c.deliveries[s])}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <Link to={`/admin/campaigns/${c.slug}`}>Details: per day, per state and district, per office</Link>
            {canExport ? (
              <>
                {" · "}
                <Link to={`/admin/exports?campaign=${encodeURIComponent(c.slug)}`}>Export signatures</Link>
              </>
            ) : null}
          </p>
        </article>
      ))}
      <section className="panel" aria-labelledby="attention-heading">
        <h2 id="attention-heading">Letters that need attention</h2>
        {attention.length === 0 ? (
          <p>No letter has failed or is being held.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Office</th>
                <th scope="col">State</th>
                <th scope="col">Attempts</th>
                <th scope="col">Why</th>
                <th scope="col">Campaign</th>
              </tr>
            </thead>
            <tbody>
              {attention.map((d) => (
                <tr key={d.id}>
                  <td>{d.office}</td>
                  <td>{d.status}</td>
                  <td>{d.attempts}</td>
                  <td>{d.reason}</td>
                  <td>{d.campaign}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}
