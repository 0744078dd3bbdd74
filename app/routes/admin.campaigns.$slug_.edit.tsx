// Editing a campaign, and its lifecycle: draft → live → closed (and reopening).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import {
  campaignFormDefaults,
  changeCampaignStatus,
  findCampaignForEditing,
  goLiveProblems,
  officeChoices,
  type CampaignStatus,
} from "~/campaigns/admin.server";
import { CampaignEditor, type EditorActionData } from "~/campaigns/campaign-editor";
import { editorPost } from "~/campaigns/editor-action.server";
import { db } from "~/db/client.server";
import { AdminNav } from "~/organizers/admin-nav";
import { requireOrganizer } from "~/organizers/session.server";
import { readForm } from "~/security/read-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Edit ${data?.campaign.title ?? "campaign"} · Sincerely organizers` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request, "organizer");
  const campaign = await findCampaignForEditing(db(), params.slug ?? "");
  if (!campaign) throw new Response("No such campaign", { status: 404 });
  return {
    organizer: { email: organizer.email, role: organizer.role },
    campaign: { slug: campaign.slug, title: campaign.title, status: campaign.status, paused: campaign.paused },
    problems: campaign.status === "live" ? [] : await goLiveProblems(db(), campaign),
    defaults: campaignFormDefaults(campaign),
    offices: await officeChoices(db()),
  };
}

type StatusActionData = { status: "problems"; problems: string[] };

export async function action({ request, params }: ActionFunctionArgs) {
  const organizer = await requireOrganizer(request, "organizer");
  const campaign = await findCampaignForEditing(db(), params.slug ?? "");
  if (!campaign) throw new Response("No such campaign", { status: 404 });
  const form = await readForm(request);
  if (form.get("intent") === "status") {
    const to = String(form.get("to")) as CampaignStatus;
    const result = await changeCampaignStatus(db(), campaign, to, organizer);
    if (!result.ok) return data<StatusActionData>({ status: "problems", problems: result.problems }, { status: 400 });
    return redirect(`/admin/campaigns/${campaign.slug}/edit?status=${to}`);
  }
  const result = await editorPost(db(), form, campaign, organizer);
  if (result instanceof Response) return result;
  return data(result.data, { status: result.status });
}

const NEXT: Record<string, { to: CampaignStatus; label: string }[]> = {
  draft: [{ to: "live", label: "Go live" }],
  live: [{ to: "closed", label: "Close the campaign" }],
  closed: [{ to: "live", label: "Reopen" }],
};

export default function EditCampaign() {
  const { organizer, campaign, problems, defaults, offices } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as EditorActionData | StatusActionData | undefined;
  const [params] = useSearchParams();
  const statusProblems = actionData?.status === "problems" ? actionData.problems : undefined;
  const editorData = actionData && actionData.status !== "problems" ? actionData : undefined;
  const released = Number(params.get("released") ?? 0);
  return (
    <section>
      <AdminNav email={organizer.email} role={organizer.role} />
      <h1>Edit {campaign.title}</h1>
      {params.get("saved") ? (
        <p role="status" className="notice">
          Saved.{released ? ` ${released} held letter${released === 1 ? "" : "s"} went back to the queue.` : ""}
        </p>
      ) : null}
      {params.get("status") ? (
        <p role="status" className="notice">
          The campaign is now {params.get("status")}.
        </p>
      ) : null}
      <section className="panel" aria-labelledby="lifecycle-heading">
        <h2 id="lifecycle-heading">Status: {campaign.status}</h2>
        <p>
          {campaign.status === "live" ? (
            <>
              The public page <Link to={`/c/${campaign.slug}`}>/c/{campaign.slug}</Link> takes signatures.
            </>
          ) : campaign.status === "draft" ? (
            "Only organizers see a draft; the public page answers “not found”."
          ) : (
            "Closed: the public page shows the count and takes no signatures."
          )}
        </p>
        {problems.length > 0 ? (
          <>
            <p>Before it can go live:</p>
            <ul>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </>
        ) : null}
        {statusProblems ? (
          <div className="error-summary" role="alert">
            <h3>The status did not change:</h3>
            <ul>
              {statusProblems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {(NEXT[campaign.status] ?? []).map((next) => (
          <Form method="post" key={next.to} className="inline">
            <input type="hidden" name="intent" value="status" />
            <input type="hidden" name="to" value={next.to} />
            <button type="submit" className="button">
              {next.label}
            </button>
          </Form>
        ))}{" "}
        <Link to={`/admin/deliveries?campaign=${campaign.slug}`}>
          Deliveries{campaign.paused ? " (sending paused)" : ""}
        </Link>
      </section>
      <CampaignEditor
        key={JSON.stringify(defaults)}
        defaults={defaults}
        actionData={editorData}
        offices={offices}
        previewAction={`/admin/campaigns/${campaign.slug}/preview`}
        submitLabel="Save changes"
      />
    </section>
  );
}
