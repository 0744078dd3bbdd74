// One campaign's dashboard: progress to the goal, letters by delivery state, signatures per
// day, confirmed signatures by state and district (table and tile map), letters per office.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "~/db/client.server";
import { AdminNav } from "~/organizers/admin-nav";
import { GoalThermometer, LETTER_STATE_LABELS, SignaturesPerDayChart, StateTileGrid } from "~/organizers/charts";
import dashboardCss from "~/organizers/dashboard.css?url";
import { campaignDashboard } from "~/organizers/dashboard.server";
import { DELIVERY_STATUSES } from "~/delivery/statuses";
import { CHART_DAYS } from "~/organizers/letter-states";
import { roleAllows } from "~/organizers/roles";
import { requireOrganizer } from "~/organizers/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.dashboard.campaign.title ?? "Campaign"} · Sincerely organizers` },
];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardCss }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request, "viewer");
  const dashboard = await campaignDashboard(db(), params.slug ?? "");
  if (!dashboard) throw new Response("No such campaign", { status: 404 });
  return { organizer: { email: organizer.email, role: organizer.role }, dashboard };
}

const fmt = new Intl.NumberFormat("en-US");

function districtLabel(district: number): string {
  if (district === -1) return "none known";
  if (district === 0) return "at-large";
  return String(district);
}

export default function CampaignDashboard() {
  const { organizer, dashboard } = useLoaderData<typeof loader>();
  const { campaign, deliveries, days, states, offices } = dashboard;
  const canExport = roleAllows(organizer.role, "organizer");
  const chartDays = days.slice(-CHART_DAYS);
  return (
    <section>
      <AdminNav email={organizer.email} role={organizer.role} />
      <p>
        <Link to="/admin">← Dashboard</Link>
      </p>
      <h1>{campaign.title}</h1>
      <p>
        {campaign.status === "live" ? "Live" : campaign.status === "draft" ? "Draft" : "Closed"}
        {campaign.paused ? " (letters paused)" : ""}, in <strong>{campaign.mode} mode</strong>.{" "}
        <Link to={`/c/${campaign.slug}`}>Public page</Link>
        {canExport ? (
          <>
            {" · "}
            <Link to={`/admin/exports?campaign=${encodeURIComponent(campaign.slug)}`}>Export signatures</Link>
          </>
        ) : null}
      </p>

      <div className="dashboard-grid">
        <section className="panel" aria-labelledby="signatures-heading">
          <h2 id="signatures-heading">Signatures</h2>
          <GoalThermometer confirmed={campaign.confirmed} goal={campaign.goal} label="Progress to the goal" />
          <table className="counts">
            <tbody>
              <tr>
                <th scope="row">Confirmed</th>
                <td className="numeric" data-testid="confirmed">
                  {fmt.format(campaign.confirmed)}
                </td>
              </tr>
              <tr>
                <th scope="row">Waiting for e-mail confirmation</th>
                <td className="numeric" data-testid="pending">
                  {fmt.format(campaign.pending)}
                </td>
              </tr>
            </tbody>
          </table>
        </section>
        <section className="panel" aria-labelledby="letters-heading">
          <h2 id="letters-heading">Letters by delivery state</h2>
          <table className="counts">
            <tbody>
              {DELIVERY_STATUSES.map((s) => (
                <tr key={s}>
                  <th scope="row">{LETTER_STATE_LABELS[s]}</th>
                  <td className="numeric" data-testid={`letters-${s}`}>
                    {fmt.format(deliveries[s])}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>

      <section className="panel" aria-labelledby="days-heading">
        <h2 id="days-heading">Signatures per day</h2>
        {days.length === 0 ? (
          <p>No signatures yet.</p>
        ) : (
          <>
            <SignaturesPerDayChart
              days={chartDays}
              title={`Signatures per day${days.length > CHART_DAYS ? `, the last ${CHART_DAYS} days` : ""}`}
            />
            <details>
              <summary>The numbers, day by day</summary>
              <div className="table-scroll">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Day (UTC)</th>
                      <th scope="col">Signed</th>
                      <th scope="col">Confirmed</th>
                    </tr>
                  </thead>
                  <tbody>
                    {[...days].reverse().map((d) => (
                      <tr key={d.day}>
                        <th scope="row">{d.day}</th>
                        <td className="numeric">{fmt.format(d.signed)}</td>
                        <td className="numeric">{fmt.format(d.confirmed)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          </>
        )}
      </section>

      <section className="panel" aria-labelledby="areas-heading">
        <h2 id="areas-heading">Confirmed signatures by state and district</h2>
        {canExport ? (
          <p>
            <a href={`/admin/campaigns/${campaign.slug}/areas.csv`} download>
              Download these counts as CSV
            </a>
          </p>
        ) : null}
        <StateTileGrid
          counts={Object.fromEntries(states.map((s) => [s.state, s.confirmed]))}
          linkFor={(s) => `#state-${s}`}
        />
        {states.length === 0 ? (
          <p>No confirmed signatures yet.</p>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">State</th>
                  <th scope="col">Confirmed</th>
                  <th scope="col">By House district</th>
                </tr>
              </thead>
              <tbody>
                {states.map((s) => (
                  <tr key={s.state} id={`state-${s.state}`}>
                    <th scope="row">
                      {s.name} ({s.state})
                    </th>
                    <td className="numeric" data-testid={`state-${s.state}`}>
                      {fmt.format(s.confirmed)}
                    </td>
                    <td>
                      {s.districts.map((d, i) => (
                        <span key={d.district}>
                          {i > 0 ? ", " : ""}
                          district {districtLabel(d.district)}: {fmt.format(d.confirmed)}
                        </span>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="offices-heading">
        <h2 id="offices-heading">Letters per office</h2>
        {offices.length === 0 ? (
          <p>No letters have been queued yet.</p>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Office</th>
                  {DELIVERY_STATUSES.map((s) => (
                    <th scope="col" key={s}>
                      {LETTER_STATE_LABELS[s]}
                    </th>
                  ))}
                  <th scope="col">All</th>
                  {canExport ? <th scope="col">Hand delivery</th> : null}
                </tr>
              </thead>
              <tbody>
                {offices.map((o) => (
                  <tr key={o.key}>
                    <th scope="row">
                      {o.name}
                      {o.state ? ` (${o.state}${o.district !== null ? `-${districtLabel(o.district)}` : ""})` : ""}
                    </th>
                    {DELIVERY_STATUSES.map((s) => (
                      <td key={s} className="numeric">
                        {fmt.format(o.counts[s])}
                      </td>
                    ))}
                    <td className="numeric">{fmt.format(o.total)}</td>
                    {canExport ? (
                      <td>
                        <Link to={`/admin/campaigns/${campaign.slug}/packet/${o.key}`}>
                          Packet<span className="visually-hidden"> for {o.name}</span>
                        </Link>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </section>
  );
}
