// The organizers' dashboard: each campaign's signatures and where its letters are, and the
// letters that failed or are held, with the reason.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { AdminNav } from "~/organizers/admin-nav";
import { campaignOverview, deliveriesNeedingAttention } from "~/organizers/dashboard.server";
import { requireOrganizer } from "~/organizers/session.server";

export const meta: MetaFunction = () => [{ title: "Dashboard · Sincerely organizers" }];

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
  return (
    <section>
      <AdminNav email={organizer.email} role={organizer.role} />
      <h1>Dashboard</h1>
      {campaigns.map((c) => (
        <article key={c.slug} className="panel" aria-labelledby={`campaign-${c.slug}`}>
          <h2 id={`campaign-${c.slug}`}>
            <Link to={`/c/${c.slug}`}>{c.title}</Link>
          </h2>
          <p>
            {c.status === "live" ? "Live" : c.status === "draft" ? "Draft" : "Closed"},{" "}
            {c.mode === "test" ? (
              <>
                in <strong>test mode</strong>: letters go to {c.testInbox ?? "(no test inbox set: they are held)"}
              </>
            ) : (
              <>
                in <strong>live mode</strong>: letters go to the offices
              </>
            )}
            .
          </p>
          <table className="counts">
            <caption>Signatures</caption>
            <tbody>
              <tr>
                <th scope="row">Confirmed</th>
                <td data-testid={`confirmed-${c.slug}`}>
                  {fmt.format(c.confirmed)} of {fmt.format(c.goal)}
                </td>
              </tr>
              <tr>
                <th scope="row">Waiting for e-mail confirmation</th>
                <td>{fmt.format(c.pending)}</td>
              </tr>
            </tbody>
          </table>
          <table className="counts">
            <caption>Letters</caption>
            <tbody>
              {(["queued", "sending", "sent", "failed", "held"] as const).map((s) => (
                <tr key={s}>
                  <th scope="row">{s[0].toUpperCase() + s.slice(1)}</th>
                  <td data-testid={`letters-${s}-${c.slug}`}>{fmt.format(c.deliveries[s])}</td>
                </tr>
              ))}
            </tbody>
          </table>
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
