// Organizers' work on campaigns: the list, creating and editing (fields, targets, letter
// content), previewing letters before saving, and the lifecycle draft → live → closed.
import type { Db } from "~/db/client.server";
import { releaseHeldLetters } from "~/delivery/release.server";
import type { Campaign, Office } from "~/generated/prisma/client";
import { getLetterTemplate, type LetterContent } from "~/letters/campaigns";
import { composeLetter, type LetterOffice } from "~/letters/compose";
import { campaignContent, LetterContentSchema, OFFICE_KINDS, type StoredLetterContent } from "~/letters/content";
import { officeHolder } from "~/offices/office-label";
import { normalizeZip, resolveTargets } from "~/targets/resolve.server";
import type { CampaignFormErrors, CampaignFormInput, CampaignFormValues } from "./campaign-form";

/** The template new campaigns start from (the memo's content): organizers edit it from there. */
export const STARTER_TEMPLATE = "landmines-2020";

export type CampaignStatus = "draft" | "live" | "closed";

export interface Actor {
  id: string;
  email: string;
}

export async function listCampaignsForOrganizers(db: Db) {
  const [campaigns, deliveries] = await Promise.all([
    db.campaign.findMany({
      orderBy: [{ status: "asc" }, { createdAt: "desc" }],
      select: {
        id: true,
        slug: true,
        title: true,
        status: true,
        mode: true,
        paused: true,
        goal: true,
        confirmedCount: true,
        pendingCount: true,
        startsAt: true,
        endsAt: true,
      },
    }),
    // Trigger-kept counters, summed per campaign and status: no delivery rows are counted.
    db.campaignOfficeDelivery.groupBy({ by: ["campaignId", "status"], _sum: { count: true } }),
  ]);
  return campaigns.map((c) => {
    const byStatus: Record<string, number> = {};
    for (const d of deliveries) if (d.campaignId === c.id) byStatus[d.status] = d._sum.count ?? 0;
    return { ...c, deliveries: byStatus };
  });
}

export async function findCampaignForEditing(db: Db, slug: string) {
  return db.campaign.findUnique({
    where: { slug },
    include: { extraOffices: { include: { office: true } } },
  });
}

/** Offices an organizer can add to a campaign: every active office, extra offices first. */
export async function officeChoices(db: Db) {
  const offices = await db.office.findMany({
    where: { active: true },
    orderBy: [{ chamber: "asc" }, { state: "asc" }, { lastName: "asc" }],
    select: { key: true, chamber: true, title: true, fullName: true, state: true, district: true },
  });
  const rank = (chamber: string) => ["other", "white_house", "senate", "house"].indexOf(chamber);
  return offices
    .sort((a, b) => rank(a.chamber) - rank(b.chamber))
    .map((o) => ({
      key: o.key,
      label: `${officeHolder(o)}${o.state ? ` (${o.state}${o.district !== null ? `-${o.district}` : ""})` : ""}`,
    }));
}

function dateInput(date: Date | null, shiftDays = 0): string {
  if (!date) return "";
  return new Date(date.getTime() + shiftDays * 86_400_000).toISOString().slice(0, 10);
}

/** The editor's values for a campaign (or for a new one, from the starter template). */
export function campaignFormDefaults(
  campaign: (Campaign & { extraOffices: { office: { key: string } }[] }) | null,
): CampaignFormInput {
  const template = getLetterTemplate(campaign?.template ?? STARTER_TEMPLATE);
  const content = campaign ? campaignContent(campaign) : template;
  const perKind = (record: Record<string, string[]>) =>
    Object.fromEntries(OFFICE_KINDS.map((kind) => [kind, record[kind].join("\n")])) as Record<
      (typeof OFFICE_KINDS)[number],
      string
    >;
  return {
    title: campaign?.title ?? "",
    slug: campaign?.slug ?? "",
    summary: campaign?.summary ?? template.summary,
    body: campaign?.body ?? template.caseSummary,
    goal: String(campaign?.goal ?? 1000),
    // The closing date is inclusive: a campaign closing on the 31st takes signatures all that day
    // (UTC); it is stored as the moment it closes, the next midnight.
    startsAt: dateInput(campaign?.startsAt ?? null),
    endsAt: dateInput(campaign?.endsAt ?? null, -1),
    targetsWhiteHouse: campaign?.targetsWhiteHouse ?? true,
    targetsSenators: campaign?.targetsSenators ?? true,
    targetsRepresentative: campaign?.targetsRepresentative ?? true,
    extraOffices: campaign?.extraOffices.map((e) => e.office.key) ?? [],
    mode: (campaign?.mode as "test" | "live" | undefined) ?? "test",
    testInbox: campaign?.testInbox ?? "",
    subjects: perKind(content.subjects),
    openings: perKind(content.openings),
    closingParagraphs: perKind(content.closingParagraphs),
    points: content.points.map((p) => ({
      key: p.key,
      label: p.label,
      summary: p.summary,
      asks: perKind(content.asks[p.key] ?? { president: [], senator: [], house: [] }),
      remove: false,
    })),
  };
}

/** The edited letter content: the form's parts over the rest of the campaign's current content. */
export function contentFromForm(base: LetterContent, values: CampaignFormValues): StoredLetterContent {
  const keys = new Set(values.points.map((p) => p.key));
  const content = {
    ...base,
    points: values.points.map((p) => ({ key: p.key, label: p.label, summary: p.summary })),
    // A fact tied to a point that is gone would argue for something no supporter can choose.
    facts: base.facts.filter((f) => f.point === undefined || keys.has(f.point)),
    subjects: values.subjects,
    openings: values.openings,
    closingParagraphs: values.closingParagraphs,
    asks: Object.fromEntries(
      values.points.map((p) => [
        p.key,
        { president: p.asks?.president ?? [], senator: p.asks?.senator ?? [], house: p.asks?.house ?? [] },
      ]),
    ),
  };
  return LetterContentSchema.parse(content);
}

function dates(values: CampaignFormValues) {
  return {
    startsAt: values.startsAt ? new Date(`${values.startsAt}T00:00:00Z`) : null,
    endsAt: values.endsAt ? new Date(Date.parse(`${values.endsAt}T00:00:00Z`) + 86_400_000) : null,
  };
}

export type SaveResult = { ok: true; campaign: Campaign; released: number } | { ok: false; errors: CampaignFormErrors };

/** Creates (existing = null) or updates a campaign from the editor's values. */
export async function saveCampaign(
  db: Db,
  existing: Campaign | null,
  values: CampaignFormValues,
  actor: Actor,
): Promise<SaveResult> {
  const clash = await db.campaign.findUnique({ where: { slug: values.slug }, select: { id: true } });
  if (clash && clash.id !== existing?.id) {
    return { ok: false, errors: { slug: `Address: another campaign already uses /c/${values.slug}` } };
  }
  const offices = await db.office.findMany({
    where: { key: { in: values.extraOffices } },
    select: { id: true, key: true },
  });
  const unknown = values.extraOffices.filter((key) => !offices.some((o) => o.key === key));
  if (unknown.length)
    return { ok: false, errors: { extraOffices: `Extra offices: unknown office ${unknown.join(", ")}` } };

  const template = existing?.template ?? STARTER_TEMPLATE;
  const base = existing ? campaignContent(existing) : getLetterTemplate(template);
  const content = contentFromForm(base, values);
  if (existing && existing.status !== "draft") {
    // Supporters of a live campaign may already have chosen a point; removing it would make
    // their stored choices meaningless, so points can be added and reworded, not removed.
    const removed = campaignContent(existing)
      .points.map((p) => p.key)
      .filter((key) => !content.points.some((p) => p.key === key));
    if (removed.length) {
      return {
        ok: false,
        errors: { points: `Points: a ${existing.status} campaign keeps its points (removed: ${removed.join(", ")})` },
      };
    }
  }
  const data = {
    slug: values.slug,
    title: values.title,
    summary: values.summary,
    body: values.body,
    goal: values.goal,
    ...dates(values),
    targetsWhiteHouse: values.targetsWhiteHouse,
    targetsSenators: values.targetsSenators,
    targetsRepresentative: values.targetsRepresentative,
    mode: values.mode,
    testInbox: values.testInbox,
    content: JSON.stringify(content),
  };
  const campaign = await db.$transaction(async (tx) => {
    const saved = existing
      ? await tx.campaign.update({ where: { id: existing.id }, data })
      : await tx.campaign.create({ data: { ...data, template, status: "draft" } });
    await tx.campaignOffice.deleteMany({ where: { campaignId: saved.id } });
    if (offices.length) {
      await tx.campaignOffice.createMany({ data: offices.map((o) => ({ campaignId: saved.id, officeId: o.id })) });
    }
    await tx.auditEvent.create({
      data: {
        organizerId: actor.id,
        actorEmail: actor.email,
        action: existing ? "campaign.update" : "campaign.create",
        detail: JSON.stringify({
          campaign: saved.slug,
          ...(existing && existing.slug !== saved.slug ? { from: existing.slug } : {}),
        }),
      },
    });
    return saved;
  });
  // A new test inbox, or going from test to live, can mend letters held for want of one.
  const mended = existing && (existing.testInbox !== campaign.testInbox || existing.mode !== campaign.mode);
  const released = mended ? await releaseHeldLetters(db, { campaignId: campaign.id }) : 0;
  return { ok: true, campaign, released };
}

/** What stands in the way of taking signatures; empty when the campaign can go live. */
export async function goLiveProblems(db: Db, campaign: Campaign, now = new Date()): Promise<string[]> {
  const problems: string[] = [];
  const extra = await db.campaignOffice.count({ where: { campaignId: campaign.id, office: { active: true } } });
  if (!campaign.targetsWhiteHouse && !campaign.targetsSenators && !campaign.targetsRepresentative && extra === 0) {
    problems.push("It writes to no office: choose at least one target.");
  }
  try {
    campaignContent(campaign);
  } catch (error) {
    problems.push(`Its letter content is not valid: ${(error as Error).message}.`);
  }
  if (campaign.mode === "test" && !campaign.testInbox?.trim()) {
    problems.push("It is in test mode without a test inbox: set the inbox its letters go to.");
  }
  if (campaign.endsAt && campaign.endsAt <= now) problems.push("Its closing date has passed.");
  return problems;
}

const TRANSITIONS: Record<CampaignStatus, CampaignStatus[]> = {
  draft: ["live"],
  live: ["closed"],
  closed: ["live"],
};

export type StatusResult = { ok: true; campaign: Campaign } | { ok: false; problems: string[] };

export async function changeCampaignStatus(
  db: Db,
  campaign: Campaign,
  to: CampaignStatus,
  actor: Actor,
): Promise<StatusResult> {
  const from = campaign.status as CampaignStatus;
  if (!TRANSITIONS[from]?.includes(to)) {
    return { ok: false, problems: [`A ${from} campaign cannot become ${to}.`] };
  }
  if (to === "live") {
    const problems = await goLiveProblems(db, campaign);
    if (problems.length) return { ok: false, problems };
  }
  const updated = await db.$transaction(async (tx) => {
    const row = await tx.campaign.update({ where: { id: campaign.id }, data: { status: to } });
    await tx.auditEvent.create({
      data: {
        organizerId: actor.id,
        actorEmail: actor.email,
        action: "campaign.status",
        detail: JSON.stringify({ campaign: campaign.slug, from, to }),
      },
    });
    return row;
  });
  return { ok: true, campaign: updated };
}

/** The pause switch: workers claim no letter of a paused campaign until it is resumed. */
export async function setCampaignPaused(db: Db, slug: string, paused: boolean, actor: Actor): Promise<Campaign> {
  return db.$transaction(async (tx) => {
    const campaign = await tx.campaign.update({ where: { slug }, data: { paused } });
    await tx.auditEvent.create({
      data: {
        organizerId: actor.id,
        actorEmail: actor.email,
        action: paused ? "campaign.pause" : "campaign.resume",
        detail: JSON.stringify({ campaign: slug }),
      },
    });
    return campaign;
  });
}

export interface PreviewLetter {
  office: string;
  subject: string;
  text: string;
}

export type PreviewResult =
  { ok: true; zip: string; place: string; letters: PreviewLetter[]; notes: string[] } | { ok: false; error: string };

/** A sample supporter, so organizers read letters as an office would. */
const SAMPLE_SUPPORTER = { firstName: "Alex", lastName: "Sample", street: "1 Main Street", city: "Springfield" };

/**
 * The letters a supporter at `zip` would send, composed from the editor's unsaved values. The
 * sample supporter chooses every point; where the ZIP spans districts, the first one is shown.
 */
export async function previewLetters(db: Db, values: CampaignFormValues, zipInput: string, base: LetterContent) {
  const zip = normalizeZip(zipInput);
  if (!zip) return { ok: false, error: "ZIP code: enter 5 digits, like 98101." } satisfies PreviewResult;
  const rows = await db.zipDistrict.findMany({ where: { zip }, orderBy: [{ state: "asc" }, { district: "asc" }] });
  if (rows.length === 0) return { ok: false, error: `ZIP code: we don't know ${zip}.` } satisfies PreviewResult;
  const notes: string[] = [];
  const { state, district } = rows[0];
  if (rows.length > 1) notes.push(`ZIP ${zip} spans ${rows.length} districts; showing ${state}-${district}.`);

  const resolution = await resolveTargets(
    db,
    { zip, state, district },
    {
      wantWhiteHouse: values.targetsWhiteHouse,
      wantSenators: values.targetsSenators,
      wantRepresentative: values.targetsRepresentative,
    },
  );
  const offices: Office[] = resolution.ok ? [...resolution.offices] : [];
  if (resolution.ok) notes.push(...resolution.vacancies.map((v) => v.description));
  else notes.push(resolution.error);
  const extra = await db.office.findMany({ where: { key: { in: values.extraOffices }, active: true } });
  offices.push(...extra.filter((o) => !offices.some((known) => known.id === o.id)));

  const content = contentFromForm(base, values);
  const letters = offices.map((office) => {
    const letter = composeLetter({
      template: content,
      office: { ...office, chamber: office.chamber as LetterOffice["chamber"] },
      supporter: { ...SAMPLE_SUPPORTER, state, zip, message: null },
      points: content.points.map((p) => p.key),
      seed: `preview:${zip}`,
    });
    return { office: officeHolder(office), subject: letter.subject, text: letter.text };
  });
  return { ok: true, zip, place: `${SAMPLE_SUPPORTER.city}, ${state}`, letters, notes } satisfies PreviewResult;
}
