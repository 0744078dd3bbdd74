// A new campaign, started from the memo's content; it is saved as a draft.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { campaignFormDefaults, officeChoices } from "~/campaigns/admin.server";
import { CampaignEditor, type EditorActionData } from "~/campaigns/campaign-editor";
import { editorPost } from "~/campaigns/editor-action.server";
import { db } from "~/db/client.server";
import { AdminNav } from "~/organizers/admin-nav";
import { requireOrganizer } from "~/organizers/session.server";
import { readForm } from "~/security/read-form.server";

export const meta: MetaFunction = () => [{ title: "New campaign · Sincerely organizers" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request, "organizer");
  return {
    organizer: { email: organizer.email, role: organizer.role },
    defaults: campaignFormDefaults(null),
    offices: await officeChoices(db()),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const organizer = await requireOrganizer(request, "organizer");
  const result = await editorPost(db(), await readForm(request), null, organizer);
  if (result instanceof Response) return result;
  return data(result.data, { status: result.status });
}

export default function NewCampaign() {
  const { organizer, defaults, offices } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as EditorActionData | undefined;
  return (
    <section>
      <AdminNav email={organizer.email} role={organizer.role} />
      <h1>New campaign</h1>
      <p>It starts as a draft, with the memo&apos;s letter to edit; the public sees it once it goes live.</p>
      <CampaignEditor
        defaults={defaults}
        actionData={actionData}
        offices={offices}
        previewAction="/admin/campaigns/new/preview"
        submitLabel="Create draft"
      />
    </section>
  );
}
