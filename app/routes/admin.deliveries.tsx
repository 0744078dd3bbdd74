// The queue and its history: filter by campaign, status and office; each delivery's attempts;
// retry one or all failed; pause a campaign's sending.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { setCampaignPaused } from "~/campaigns/admin.server";
import { db } from "~/db/client.server";
import { DELIVERY_STATUSES } from "~/delivery/statuses";
import {
  deliveryTotals,
  listDeliveries,
  parseDeliveryFilter,
  retryDelivery,
  retryFailed,
} from "~/delivery/admin.server";
import { AdminNav } from "~/organizers/admin-nav";
import { requireOrganizer } from "~/organizers/session.server";
import { officeHolder } from "~/offices/office-label";
import { readForm } from "~/security/read-form.server";

export const meta: MetaFunction = () => [{ title: "Deliveries · Sincerely organizers" }];

export async function loader({ request }: LoaderFunctionArgs) {
  // Supporters' names are on this page: organizers only (viewers see the dashboards' counts).
  const organizer = await requireOrganizer(request, "organizer");
  const filter = parseDeliveryFilter(new URL(request.url).searchParams);
  const [campaigns, list, totals] = await Promise.all([
    db().campaign.findMany({ orderBy: { createdAt: "desc" }, select: { slug: true, title: true, paused: true } }),
    listDeliveries(db(), filter),
    deliveryTotals(db(), filter.campaign),
  ]);
  return { organizer: { email: organizer.email, role: organizer.role }, filter, campaigns, list, totals };
}

type ActionData = { ok: boolean; message: string };

export async function action({ request }: ActionFunctionArgs) {
  const organizer = await requireOrganizer(request, "organizer");
  const form = await readForm(request);
  const intent = form.get("intent");
  const campaign = String(form.get("campaign") ?? "") || undefined;
  if (intent === "retry") {
    const ok = await retryDelivery(db(), String(form.get("deliveryId") ?? ""));
    return data<ActionData>(
      ok
        ? { ok, message: "The letter is back in the queue." }
        : { ok, message: "Only a failed or held letter can be retried; this one has moved on." },
      { status: ok ? 200 : 409 },
    );
  }
  if (intent === "retry-failed") {
    const count = await retryFailed(db(), campaign);
    return data<ActionData>({
      ok: true,
      message: `${count} failed letter${count === 1 ? "" : "s"} back in the queue.`,
    });
  }
  if ((intent === "pause" || intent === "resume") && campaign) {
    await setCampaignPaused(db(), campaign, intent === "pause", organizer);
    return data<ActionData>({
      ok: true,
      message: intent === "pause" ? "Sending is paused for this campaign." : "Sending resumed.",
    });
  }
  return data<ActionData>({ ok: false, message: "Unknown action." }, { status: 400 });
}

const time = (iso: string | Date | null) => (iso ? new Date(iso).toISOString().slice(0, 19).replace("T", " ") : "");

export default function Deliveries() {
  const { organizer, filter, campaigns, list, totals } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const canAct = organizer.role !== "viewer";
  const selected = campaigns.find((c) => c.slug === filter.campaign);
  const pageLink = (page: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(page));
    return `?${next}`;
  };
  return (
    <section>
      <AdminNav email={organizer.email} role={organizer.role} />
      <h1>Deliveries</h1>
      {result ? (
        <p role={result.ok ? "status" : "alert"} className={result.ok ? "notice" : "field-error"}>
          {result.message}
        </p>
      ) : null}
      <Form method="get" className="row filters">
        <div className="field">
          <label htmlFor="f-campaign">Campaign</label>
          <select id="f-campaign" name="campaign" defaultValue={filter.campaign ?? ""}>
            <option value="">All campaigns</option>
            {campaigns.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-status">Status</label>
          <select id="f-status" name="status" defaultValue={filter.status ?? ""}>
            <option value="">Any status</option>
            {DELIVERY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-office">Office (key or name)</label>
          <input id="f-office" name="office" defaultValue={filter.office ?? ""} />
        </div>
        <button type="submit" className="button">
          Filter
        </button>
      </Form>
      <p data-testid="delivery-totals">{DELIVERY_STATUSES.map((s) => `${s}: ${totals[s] ?? 0}`).join(" · ")}</p>
      {canAct ? (
        <div className="row">
          <Form method="post">
            <input type="hidden" name="intent" value="retry-failed" />
            <input type="hidden" name="campaign" value={filter.campaign ?? ""} />
            <button type="submit" className="button">
              Retry all failed{selected ? ` of ${selected.title}` : ""}
            </button>
          </Form>
          {selected ? (
            <Form method="post">
              <input type="hidden" name="intent" value={selected.paused ? "resume" : "pause"} />
              <input type="hidden" name="campaign" value={selected.slug} />
              <button type="submit" className="button secondary">
                {selected.paused ? "Resume sending" : "Pause sending"} for {selected.title}
              </button>
            </Form>
          ) : null}
        </div>
      ) : null}
      {selected?.paused ? (
        <p className="notice">Sending is paused for {selected.title}: workers leave its letters queued.</p>
      ) : null}
      {campaigns.some((c) => c.paused) && !selected ? (
        <p className="notice">
          Paused:{" "}
          {campaigns
            .filter((c) => c.paused)
            .map((c) => c.title)
            .join(", ")}
          . Choose a campaign to resume it.
        </p>
      ) : null}
      <p>
        {list.total} deliver{list.total === 1 ? "y" : "ies"}
        {list.pages > 1 ? `, page ${list.page} of ${list.pages}` : ""}.
      </p>
      {list.rows.length > 0 ? (
        <table className="deliveries">
          <thead>
            <tr>
              <th scope="col">Letter</th>
              <th scope="col">Office</th>
              <th scope="col">Status</th>
              <th scope="col">Reason / recipient</th>
              <th scope="col">Attempts</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.rows.map((d) => (
              <tr key={d.id} data-testid="delivery-row">
                <td>
                  {d.letter.signature.firstName} {d.letter.signature.lastName}: {d.letter.subject}
                  <br />
                  <span className="hint">{d.letter.signature.campaign.title}</span>
                </td>
                <td>{officeHolder(d.letter.office)}</td>
                <td>{d.status}</td>
                <td>{d.status === "sent" ? `to ${d.sentTo} at ${time(d.sentAt)}` : (d.lastError ?? "")}</td>
                <td>
                  <details>
                    <summary>
                      {d.attemptLog.length} attempt{d.attemptLog.length === 1 ? "" : "s"}
                    </summary>
                    <ol>
                      {d.attemptLog.map((a) => (
                        <li key={a.id}>
                          {time(a.startedAt)} by {a.worker}
                          {a.recipient ? ` to ${a.recipient}` : ""}: <strong>{a.outcome}</strong>
                          {a.response ? ` (${a.response})` : ""}
                        </li>
                      ))}
                    </ol>
                  </details>
                </td>
                <td>
                  {canAct && (d.status === "failed" || d.status === "held") ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="retry" />
                      <input type="hidden" name="deliveryId" value={d.id} />
                      <button type="submit" className="button secondary">
                        Retry
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {list.pages > 1 ? (
        <nav aria-label="Pages" className="row">
          {list.page > 1 ? <Link to={pageLink(list.page - 1)}>Previous page</Link> : null}
          {list.page < list.pages ? <Link to={pageLink(list.page + 1)}>Next page</Link> : null}
        </nav>
      ) : null}
    </section>
  );
}
