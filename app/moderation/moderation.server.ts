// The moderation queue: signatures whose own words were held at signing (see screen.ts). An
// organizer approves them (their held letters go back to the queue) or rejects them (their
// letters are cancelled and never sent; the signature no longer counts). Both are audited.
import type { Db } from "~/db/client.server";
import { REJECTED_REASON } from "~/delivery/message.server";
import { createDeliveryStore } from "~/delivery/queue/store.server";
import { screenOwnWords } from "./screen";

export interface Moderator {
  id: string;
  email: string;
}

export async function moderationQueue(db: Db, options: { campaignSlug?: string; take?: number } = {}) {
  const rows = await db.signature.findMany({
    where: {
      moderation: "review",
      erasedAt: null,
      ...(options.campaignSlug ? { campaign: { slug: options.campaignSlug } } : {}),
    },
    orderBy: { createdAt: "asc" },
    take: options.take ?? 100,
    select: {
      id: true,
      firstName: true,
      lastName: true,
      city: true,
      state: true,
      message: true,
      moderationReason: true,
      status: true,
      createdAt: true,
      campaign: { select: { slug: true, title: true } },
      _count: { select: { letters: true } },
    },
  });
  return rows.map((row) => ({ ...row, matches: screenOwnWords(row.message).matches }));
}

export async function moderationCounts(db: Db) {
  return db.signature.count({ where: { moderation: "review", erasedAt: null } });
}

export class ModerationError extends Error {}

export type Decision = "approve" | "reject";

/** Decides a signature in review; returns how many of its letters went back to the queue or were cancelled. */
export async function moderateSignature(
  db: Db,
  signatureId: string,
  decision: Decision,
  moderator: Moderator,
  now = new Date(),
): Promise<{ released: number; cancelled: number }> {
  return db.$transaction(async (tx) => {
    const signature = await tx.signature.findUnique({
      where: { id: signatureId },
      select: { id: true, moderation: true, campaign: { select: { slug: true } } },
    });
    if (!signature) throw new ModerationError("That signature no longer exists.");
    // Conditional on still being in review: two organizers deciding at once cannot both win.
    const { count } = await tx.signature.updateMany({
      where: { id: signatureId, moderation: "review" },
      data: {
        moderation: decision === "approve" ? "approved" : "rejected",
        moderatedAt: now,
        moderatedBy: moderator.email,
      },
    });
    if (count === 0) throw new ModerationError(`That signature was already ${signature.moderation}.`);

    let released = 0;
    let cancelled = 0;
    if (decision === "approve") {
      const held = await tx.delivery.findMany({
        where: { status: "held", letter: { signatureId } },
        select: { id: true },
      });
      released = await createDeliveryStore(tx).requeue(
        held.map((d) => d.id),
        now,
      );
    } else {
      // Letters in a worker's hands ("sending") are left to the worker, which checks the
      // moderation state before it sends and cancels them itself.
      ({ count: cancelled } = await tx.delivery.updateMany({
        where: { letter: { signatureId }, status: { in: ["queued", "held", "failed"] } },
        data: { status: "cancelled", lastError: REJECTED_REASON, leaseOwner: null, leaseExpiresAt: null },
      }));
    }
    await tx.auditEvent.create({
      data: {
        organizerId: moderator.id,
        actorEmail: moderator.email,
        action: "signature.moderate",
        detail: JSON.stringify({ signatureId, campaign: signature.campaign.slug, decision, released, cancelled }),
      },
    });
    return { released, cancelled };
  });
}
