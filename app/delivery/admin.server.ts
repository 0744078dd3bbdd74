// The organizers' view of the queue: deliveries by campaign, status and office, each with its
// attempt history; re-driving failed letters one by one or all at once.
import type { Db } from "~/db/client.server";
import type { Prisma } from "~/generated/prisma/client";
import { createDeliveryStore } from "./queue/store.server";

import { DELIVERY_STATUSES } from "./statuses";

export interface DeliveryFilter {
  campaign?: string;
  status?: string;
  /** An office key (bioguide id, WH) or part of its holder's name. */
  office?: string;
  page?: number;
}

export const PAGE_SIZE = 50;

export function parseDeliveryFilter(params: URLSearchParams): DeliveryFilter {
  const status = params.get("status") ?? "";
  const page = Number(params.get("page") ?? 1);
  return {
    campaign: params.get("campaign")?.trim() || undefined,
    status: (DELIVERY_STATUSES as readonly string[]).includes(status) ? status : undefined,
    office: params.get("office")?.trim() || undefined,
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

function where(filter: DeliveryFilter): Prisma.DeliveryWhereInput {
  return {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.campaign ? { letter: { signature: { campaign: { slug: filter.campaign } } } } : {}),
    ...(filter.office
      ? {
          OR: [
            { letter: { office: { key: filter.office.toUpperCase() } } },
            { letter: { office: { fullName: { contains: filter.office } } } },
          ],
        }
      : {}),
  };
}

export async function listDeliveries(db: Db, filter: DeliveryFilter) {
  const page = filter.page ?? 1;
  const [rows, total] = await Promise.all([
    db.delivery.findMany({
      where: where(filter),
      orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: {
        id: true,
        status: true,
        attempts: true,
        lastError: true,
        sentTo: true,
        sentAt: true,
        runAt: true,
        updatedAt: true,
        letter: {
          select: {
            subject: true,
            office: { select: { key: true, chamber: true, title: true, fullName: true } },
            signature: {
              select: { firstName: true, lastName: true, campaign: { select: { slug: true, title: true } } },
            },
          },
        },
        attemptLog: {
          orderBy: { startedAt: "asc" },
          select: {
            id: true,
            number: true,
            worker: true,
            startedAt: true,
            finishedAt: true,
            outcome: true,
            response: true,
            recipient: true,
          },
        },
      },
    }),
    db.delivery.count({ where: where(filter) }),
  ]);
  return { rows, total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

/** Deliveries per status from the trigger-kept counters (no delivery rows are counted). */
export async function deliveryTotals(db: Db, campaignSlug?: string): Promise<Record<string, number>> {
  const groups = await db.campaignOfficeDelivery.groupBy({
    by: ["status"],
    where: campaignSlug ? { campaign: { slug: campaignSlug } } : {},
    _sum: { count: true },
  });
  return Object.fromEntries(groups.map((g) => [g.status, g._sum.count ?? 0]));
}

/** One failed (or held) delivery back to the queue, now. Returns whether it was re-queued. */
export async function retryDelivery(db: Db, id: string): Promise<boolean> {
  return (await createDeliveryStore(db).requeue([id])) === 1;
}

/** Every failed delivery (of one campaign, or of all) back to the queue. */
export async function retryFailed(db: Db, campaignSlug?: string): Promise<number> {
  const failed = await db.delivery.findMany({
    where: {
      status: "failed",
      ...(campaignSlug ? { letter: { signature: { campaign: { slug: campaignSlug } } } } : {}),
    },
    select: { id: true },
  });
  return createDeliveryStore(db).requeue(failed.map((d) => d.id));
}
