// Campaigns: reading the live ones, and creating them (the seed and the tests use the same factory).
import type { AppLoadContext } from "@remix-run/node";
import { db as defaultDb, type Db } from "~/db/client.server";
import { dbBool, dbDate, type DbRow } from "~/db/direct-sql.server";
import type { Campaign, Office } from "~/generated/prisma/client";
import { officeFromRow } from "~/targets/office-row.server";
import type { CWC_TOPICS } from "~/delivery/channels/cwc/limits";
import { releaseHeldLetters } from "~/delivery/release.server";
import { getLetterTemplate } from "~/letters/campaigns";
import { selectCampaignRow, selectExtraOfficeRows } from "./campaigns.sql.server";

export async function listLiveCampaigns(db: Db = defaultDb()) {
  return db.campaign.findMany({
    where: { status: "live" },
    orderBy: { createdAt: "desc" },
    select: { slug: true, title: true, summary: true, goal: true, confirmedCount: true },
  });
}

export async function getLiveCampaign(slug: string, db: Db = defaultDb()): Promise<Campaign | null> {
  return db.campaign.findFirst({ where: { slug, status: "live" } });
}

/** Whether a campaign takes signatures now: its status, then its dates. */
export type SigningState = "open" | "not-yet-open" | "closed";

export function signingState(
  campaign: Pick<Campaign, "status" | "startsAt" | "endsAt">,
  now = new Date(),
): SigningState {
  if (campaign.status === "closed") return "closed";
  if (campaign.endsAt && campaign.endsAt <= now) return "closed";
  if (campaign.startsAt && campaign.startsAt > now) return "not-yet-open";
  return "open";
}

/** A campaign the public may see: live or closed. Drafts are the organizers' only. */
const PUBLIC_STATUSES = { in: ["live", "closed"] };

export async function getPublicCampaign(slug: string, db: Db = defaultDb()): Promise<Campaign | null> {
  return db.campaign.findFirst({ where: { slug, status: PUBLIC_STATUSES } });
}

/** Offices the campaign names besides each supporter's own (an agency, a committee chair), by name. */
export async function extraOfficesOf(campaignId: string, db: Db = defaultDb()): Promise<Office[]> {
  return db.office.findMany({
    where: { active: true, campaigns: { some: { campaignId } } },
    orderBy: { fullName: "asc" },
  });
}

export interface PublicCampaignPage {
  campaign: Campaign;
  extraOffices: Office[];
}

const pagesOfRequest = new WeakMap<AppLoadContext, Map<string, Promise<PublicCampaignPage | null>>>();

/**
 * The public campaign and its extra offices, read once per request. A form posted without
 * JavaScript runs the sign action and then the page's loader in the same request: both need
 * these, and reading them twice was a tenth of a signature's database work. Read on the direct
 * road (campaigns.sql.server.ts): through Prisma this read was a quarter of a signature's time.
 */
export function publicCampaignPage(
  slug: string,
  context: AppLoadContext,
  db: Db = defaultDb(),
): Promise<PublicCampaignPage | null> {
  let pages = pagesOfRequest.get(context);
  if (!pages) pagesOfRequest.set(context, (pages = new Map()));
  let page = pages.get(slug);
  if (!page) {
    page = readPublicCampaignPage(slug, db);
    pages.set(slug, page);
  }
  return page;
}

async function readPublicCampaignPage(slug: string, db: Db): Promise<PublicCampaignPage | null> {
  const row = await selectCampaignRow(db, slug, PUBLIC_STATUSES.in);
  if (!row) return null;
  const offices = await selectExtraOfficeRows(db, row.id);
  return {
    campaign: campaignFromRow(row),
    extraOffices: offices.map(officeFromRow).sort((a, b) => a.fullName.localeCompare(b.fullName)),
  };
}

/** A campaign read on the direct road (every field: see DbRow). */
export function campaignFromRow(r: DbRow<Campaign>): Campaign {
  return {
    id: r.id,
    slug: r.slug,
    title: r.title,
    summary: r.summary,
    body: r.body,
    template: r.template,
    goal: r.goal,
    status: r.status,
    mode: r.mode,
    testInbox: r.testInbox,
    targetsWhiteHouse: dbBool(r.targetsWhiteHouse),
    targetsSenators: dbBool(r.targetsSenators),
    targetsRepresentative: dbBool(r.targetsRepresentative),
    confirmedCount: r.confirmedCount,
    pendingCount: r.pendingCount,
    paused: dbBool(r.paused),
    startsAt: dbDate(r.startsAt),
    endsAt: dbDate(r.endsAt),
    content: r.content,
    cwcCampaignId: r.cwcCampaignId,
    cwcTopics: r.cwcTopics,
    cwcBills: r.cwcBills,
    channelsOff: r.channelsOff,
    createdAt: dbDate(r.createdAt),
    updatedAt: dbDate(r.updatedAt),
  };
}

export interface NewCampaign {
  slug: string;
  template: string;
  title?: string;
  summary?: string;
  goal?: number;
  status?: "draft" | "live" | "closed";
  mode?: "test" | "live";
  testInbox?: string | null;
  targetsWhiteHouse?: boolean;
  targetsSenators?: boolean;
  targetsRepresentative?: boolean;
  /** CWC's Library of Congress topics for the campaign's messages (CWC_TOPICS). */
  cwcTopics?: string[];
}

/** Creates a campaign, taking its title and case from the letter template unless given. */
export async function createCampaign(db: Db, input: NewCampaign): Promise<Campaign> {
  const template = getLetterTemplate(input.template);
  return db.campaign.create({
    data: {
      slug: input.slug,
      template: input.template,
      title: input.title ?? template.title,
      summary: input.summary ?? template.summary,
      body: template.caseSummary,
      goal: input.goal ?? 10_000,
      status: input.status ?? "live",
      mode: input.mode ?? "test",
      testInbox: input.testInbox === undefined ? DEFAULT_TEST_INBOX : input.testInbox,
      targetsWhiteHouse: input.targetsWhiteHouse ?? true,
      targetsSenators: input.targetsSenators ?? true,
      targetsRepresentative: input.targetsRepresentative ?? true,
      cwcTopics: JSON.stringify(input.cwcTopics ?? []),
    },
  });
}

/** Where test-mode letters go when neither TEST_INBOX nor ADMIN_EMAIL names an inbox. */
export const DEFAULT_TEST_INBOX = "test-inbox@sincerely.localhost";

export const MEMO_CAMPAIGN_SLUG = "ban-landmines-and-cluster-munitions";

/** The memo's policy areas, as CWC names them (CWC_TOPICS); the channels migration backfills them too. */
export const MEMO_CWC_TOPICS = [
  "Armed Forces and National Security",
  "International Affairs",
] as const satisfies ReadonlyArray<(typeof CWC_TOPICS)[number]>;

/**
 * The memo's campaign, live and in test mode (so a fresh install never writes to a real
 * office). Idempotent: an existing campaign is left as its organizers made it, except that an
 * explicitly configured test inbox (TEST_INBOX) is applied to it.
 */
export async function seedMemoCampaign(
  db: Db,
  { testInbox, explicit = false }: { testInbox?: string; explicit?: boolean } = {},
): Promise<Campaign> {
  const existing = await db.campaign.findUnique({ where: { slug: MEMO_CAMPAIGN_SLUG } });
  if (existing) {
    if (!explicit || !testInbox || existing.testInbox === testInbox) return existing;
    const updated = await db.campaign.update({ where: { id: existing.id }, data: { testInbox } });
    // Letters held for want of a test inbox can go now.
    await releaseHeldLetters(db, { campaignId: existing.id });
    return updated;
  }
  try {
    return await createCampaign(db, {
      slug: MEMO_CAMPAIGN_SLUG,
      template: "landmines-2020",
      goal: 10_000,
      testInbox: testInbox ?? DEFAULT_TEST_INBOX,
      cwcTopics: [...MEMO_CWC_TOPICS],
    });
  } catch (error) {
    // Another process seeded it between our read and our write.
    const now = await db.campaign.findUnique({ where: { slug: MEMO_CAMPAIGN_SLUG } });
    if (now) return now;
    throw error;
  }
}
