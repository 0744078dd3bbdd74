// What the editor's plain form posts do: Save (create or update) and Preview (letters for a ZIP
// from the unsaved values). Shared by the new, edit and preview routes so they cannot drift.
import { redirect } from "@remix-run/node";
import type { Db } from "~/db/client.server";
import type { Campaign } from "~/generated/prisma/client";
import { getLetterTemplate } from "~/letters/campaigns";
import { campaignContent } from "~/letters/content";
import { previewLetters, saveCampaign, STARTER_TEMPLATE, type Actor } from "./admin.server";
import { CampaignFormSchema, campaignFormErrors, formDataToNested, type CampaignFormInput } from "./campaign-form";
import type { EditorActionData } from "./campaign-editor";

export async function editorPost(
  db: Db,
  form: FormData,
  existing: Campaign | null,
  actor: Actor,
): Promise<{ data: EditorActionData; status: number } | Response> {
  const posted = formDataToNested(form);
  const values = posted as CampaignFormInput;
  const parsed = CampaignFormSchema.safeParse(posted);
  if (!parsed.success)
    return { data: { status: "invalid", errors: campaignFormErrors(parsed.error), values }, status: 400 };

  if (form.get("intent") === "preview") {
    const base = existing ? campaignContent(existing) : getLetterTemplate(STARTER_TEMPLATE);
    const preview = await previewLetters(db, parsed.data, String(form.get("previewZip") ?? ""), base);
    return { data: { status: "preview", preview, values }, status: preview.ok ? 200 : 400 };
  }

  const saved = await saveCampaign(db, existing, parsed.data, actor);
  if (!saved.ok) return { data: { status: "invalid", errors: saved.errors, values }, status: 400 };
  const note = saved.released ? `&released=${saved.released}` : "";
  return redirect(`/admin/campaigns/${saved.campaign.slug}/edit?saved=1${note}`);
}
