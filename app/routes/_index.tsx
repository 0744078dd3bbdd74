import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listLiveCampaigns } from "~/campaigns/campaigns.server";
import { GoalBar } from "~/web/goal-bar";

export const meta: MetaFunction = () => [
  { title: "Sincerely: write to the offices that represent you" },
  {
    name: "description",
    content: "Sign a campaign and send your own letter to the White House and your members of Congress.",
  },
];

export async function loader() {
  return { campaigns: await listLiveCampaigns() };
}

export default function Index() {
  const { campaigns } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>Campaigns</h1>
      {campaigns.length === 0 ? (
        <p>There is no live campaign right now.</p>
      ) : (
        <ul className="campaign-list">
          {campaigns.map((c) => (
            <li key={c.slug} className="panel">
              <h2>
                <Link to={`/c/${c.slug}`}>{c.title}</Link>
              </h2>
              <p>{c.summary}</p>
              <GoalBar count={c.confirmedCount} goal={c.goal} />
              <p>
                <Link to={`/c/${c.slug}`} className="button">
                  Read and sign
                </Link>
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
