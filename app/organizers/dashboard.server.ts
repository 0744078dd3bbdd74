// What organizers see: per campaign, signatures and where their letters are. Every figure is
// read from the counters the database's triggers keep (Campaign.confirmedCount/pendingCount,
// CampaignDay, CampaignArea, CampaignOfficeDelivery): a page load reads a few small rows per
// campaign, never counts signatures or deliveries, so it stays fast with millions of them.
import type { Db } from "~/db/client.server";
import { officeHolder } from "~/offices/office-label";
import { stateName } from "~/offices/states";

import { DELIVERY_STATUSES, type DeliveryStatus } from "~/delivery/statuses";

export { CHART_DAYS } from "./letter-states";
export type LetterCounts = Record<DeliveryStatus, number>;

const noLetters = (): LetterCounts => ({ queued: 0, sending: 0, sent: 0, failed: 0, held: 0, cancelled: 0 });

function addTo(counts: LetterCounts, status: string, n: number) {
  if ((DELIVERY_STATUSES as readonly string[]).includes(status)) counts[status as DeliveryStatus] += n;
}

export async function campaignOverview(db: Db) {
  const campaigns = await db.campaign.findMany({ orderBy: { createdAt: "desc" } });
  const sums = await db.campaignOfficeDelivery.groupBy({ by: ["campaignId", "status"], _sum: { count: true } });
  return campaigns.map((c) => {
    const deliveries = noLetters();
    for (const s of sums) if (s.campaignId === c.id) addTo(deliveries, s.status, s._sum.count ?? 0);
    return {
      slug: c.slug,
      title: c.title,
      status: c.status,
      mode: c.mode,
      paused: c.paused,
      testInbox: c.testInbox,
      goal: c.goal,
      confirmed: c.confirmedCount,
      pending: c.pendingCount,
      deliveries,
    };
  });
}

/** One campaign's dashboard: counts, signatures per day, per state and district, per office. */
export async function campaignDashboard(db: Db, slug: string, today = new Date()) {
  const campaign = await db.campaign.findUnique({ where: { slug } });
  if (!campaign) return null;
  const [days, areas, offices] = await Promise.all([
    db.campaignDay.findMany({ where: { campaignId: campaign.id }, orderBy: { day: "asc" } }),
    db.campaignArea.findMany({ where: { campaignId: campaign.id, confirmed: { gt: 0 } } }),
    db.campaignOfficeDelivery.findMany({
      where: { campaignId: campaign.id, count: { gt: 0 } },
      include: {
        office: { select: { key: true, chamber: true, title: true, fullName: true, state: true, district: true } },
      },
    }),
  ]);

  const deliveries = noLetters();
  const byOffice = new Map<
    string,
    { key: string; name: string; state: string | null; district: number | null; counts: LetterCounts; total: number }
  >();
  for (const row of offices) {
    addTo(deliveries, row.status, row.count);
    let entry = byOffice.get(row.officeId);
    if (!entry) {
      entry = {
        key: row.office.key,
        name: officeHolder(row.office),
        state: row.office.state,
        district: row.office.district,
        counts: noLetters(),
        total: 0,
      };
      byOffice.set(row.officeId, entry);
    }
    addTo(entry.counts, row.status, row.count);
    entry.total += row.count;
  }

  const states = new Map<
    string,
    { state: string; name: string; confirmed: number; districts: { district: number; confirmed: number }[] }
  >();
  for (const a of areas) {
    let s = states.get(a.state);
    if (!s) {
      s = { state: a.state, name: stateName(a.state), confirmed: 0, districts: [] };
      states.set(a.state, s);
    }
    s.confirmed += a.confirmed;
    s.districts.push({ district: a.district, confirmed: a.confirmed });
  }
  for (const s of states.values()) s.districts.sort((x, y) => x.district - y.district);

  return {
    campaign: {
      id: campaign.id,
      slug: campaign.slug,
      title: campaign.title,
      status: campaign.status,
      mode: campaign.mode,
      paused: campaign.paused,
      testInbox: campaign.testInbox,
      goal: campaign.goal,
      confirmed: campaign.confirmedCount,
      pending: campaign.pendingCount,
    },
    deliveries,
    days: fillDays(
      days.map((d) => ({ day: d.day, signed: d.signed, confirmed: d.confirmed })),
      today,
    ),
    states: [...states.values()].sort((a, b) => b.confirmed - a.confirmed || a.state.localeCompare(b.state)),
    offices: [...byOffice.values()].sort((a, b) => b.total - a.total || a.name.localeCompare(b.name)),
  };
}

export interface DayCount {
  day: string;
  signed: number;
  confirmed: number;
}

/** Every day from the first with signatures to today, days without any as zeros. */
export function fillDays(days: DayCount[], today: Date): DayCount[] {
  if (days.length === 0) return [];
  const known = new Map(days.map((d) => [d.day, d]));
  const last =
    today.toISOString().slice(0, 10) > days[days.length - 1].day
      ? today.toISOString().slice(0, 10)
      : days[days.length - 1].day;
  const out: DayCount[] = [];
  for (let t = Date.parse(`${days[0].day}T00:00:00Z`); ; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push(known.get(day) ?? { day, signed: 0, confirmed: 0 });
    if (day >= last) break;
  }
  return out;
}

/** Letters that need an organizer's eye: failed (with the reason) or held (with why). */
export async function deliveriesNeedingAttention(db: Db, limit = 50) {
  const rows = await db.delivery.findMany({
    where: { status: { in: ["failed", "held"] } },
    // runAt, not updatedAt: the (status, runAt) index serves this order without sorting every held letter.
    orderBy: { runAt: "desc" },
    take: limit,
    select: {
      id: true,
      status: true,
      attempts: true,
      lastError: true,
      updatedAt: true,
      letter: {
        select: {
          subject: true,
          office: { select: { title: true, fullName: true, chamber: true } },
          signature: { select: { campaign: { select: { title: true } } } },
        },
      },
    },
  });
  return rows.map((d) => ({
    id: d.id,
    status: d.status,
    attempts: d.attempts,
    reason: d.lastError,
    updatedAt: d.updatedAt.toISOString(),
    office: officeHolder(d.letter.office),
    campaign: d.letter.signature.campaign.title,
  }));
}
