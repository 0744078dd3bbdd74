// The letters a campaign writes, for any ZIP. GET shows the saved campaign's letters; the
// editor POSTs its unsaved values here (with JavaScript, as the organizer types).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { campaignFormDefaults, findCampaignForEditing, previewLetters } from "~/campaigns/admin.server";
import { CampaignFormSchema } from "~/campaigns/campaign-form";
import { PreviewLetters } from "~/campaigns/preview-letters";
import { editorPost } from "~/campaigns/editor-action.server";
import { db } from "~/db/client.server";
import { campaignContent } from "~/letters/content";
import { AdminNav } from "~/organizers/admin-nav";
import { requireOrganizer } from "~/organizers/session.server";
import { readForm } from "~/security/read-form.server";

export const meta: MetaFunction = () => [{ title: "Letter preview · Sincerely organizers" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request, "viewer");
  const campaign = await findCampaignForEditing(db(), params.slug ?? "");
  if (!campaign) throw new Response("No such campaign", { status: 404 });
  const zip = new URL(request.url).searchParams.get("zip") ?? "";
  const values = CampaignFormSchema.parse(campaignFormDefaults(campaign));
  return {
    organizer: { email: organizer.email, role: organizer.role },
    campaign: { slug: campaign.slug, title: campaign.title },
    zip,
    preview: zip ? await previewLetters(db(), values, zip, campaignContent(campaign)) : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const organizer = await requireOrganizer(request, "viewer");
  const slug = params.slug ?? "";
  const campaign = slug === "new" ? null : await findCampaignForEditing(db(), slug);
  if (slug !== "new" && !campaign) throw new Response("No such campaign", { status: 404 });
  const form = await readForm(request);
  // This route only previews, whatever button was named: nothing is saved from here.
  form.set("intent", "preview");
  const result = await editorPost(db(), form, campaign, organizer);
  if (result instanceof Response) throw new Error("a preview never saves");
  return data(result.data, { status: result.status });
}

export default function Preview() {
  const { organizer, campaign, zip, preview } = useLoaderData<typeof loader>();
  return (
    <section>
      <AdminNav email={organizer.email} role={organizer.role} />
      <h1>Letters of {campaign.title}</h1>
      <Form method="get" className="row">
        <div className="field zip">
          <label htmlFor="preview-zip">ZIP code</label>
          <input id="preview-zip" name="zip" defaultValue={zip} inputMode="numeric" />
        </div>
        <button type="submit" className="button">
          Show the letters
        </button>
      </Form>
      {preview && !preview.ok ? <p className="field-error">{preview.error}</p> : null}
      {preview?.ok ? (
        <>
          <p>Letters of a sample supporter in {preview.place}, with every point chosen, as saved.</p>
          <PreviewLetters letters={preview.letters} notes={preview.notes} heading="h2" />
        </>
      ) : null}
      <p>
        <Link to={`/admin/campaigns/${campaign.slug}/edit`}>Edit the campaign</Link>
      </p>
    </section>
  );
}
