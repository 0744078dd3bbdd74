// After a legislators import: letters still waiting for a member who left office go to their
// successor (same seat: the same state and district for the House; for the Senate, the one new
// senator of the state), recomposed so that the salutation and wording address the new member.
// Where there is no successor yet, or it is not clear who it is, the letters are held with the
// reason, and a later import that brings the successor reroutes them.
import { renderLetterEmail } from "#emails/render.server";
import type { Db } from "~/db/client.server";
import type { Office } from "~/generated/prisma/client";
import { composeLetter, type LetterOffice } from "~/letters/compose";
import { campaignContent } from "~/letters/content";
import { officeHolder } from "~/offices/office-label";

export interface RerouteReport {
  /** Letters now addressed to a successor. */
  rerouted: number;
  /** Letters held because their office's member left and no successor is known. */
  held: number;
}

// Letters that have not gone: no delivery yet (the supporter has not confirmed), or one that
// waits in the queue or is held.
const WAITING = ["queued", "held"];

/**
 * `departed`: offices no longer in the file; `arrived`: keys of members the import added.
 * Only waiting letters move: a letter that was sent or failed stays as history.
 */
export async function rerouteDepartedLetters(
  db: Db,
  departedKeys: string[],
  arrivedKeys: string[],
): Promise<RerouteReport> {
  const report: RerouteReport = { rerouted: 0, held: 0 };
  if (departedKeys.length === 0) return report;
  const departed = await db.office.findMany({ where: { key: { in: departedKeys } } });
  const arrived = await db.office.findMany({ where: { key: { in: arrivedKeys }, active: true } });

  for (const office of departed) {
    const letters = await db.letter.findMany({
      where: {
        officeId: office.id,
        OR: [{ deliveries: { none: {} } }, { deliveries: { some: { status: { in: WAITING } } } }],
        signature: { moderation: { not: "rejected" }, erasedAt: null },
      },
      include: { signature: { include: { campaign: true } }, deliveries: true },
    });
    if (letters.length === 0) continue;
    const successor = await findSuccessor(db, office, departed, arrived);

    if (!successor.office) {
      const reason = `${officeHolder(office)} left office; ${successor.why}. The letter waits until an import brings the successor.`;
      for (const letter of letters) {
        // A status change moves the trigger-kept counters along; the lastError tells why.
        const { count } = await db.delivery.updateMany({
          where: { letterId: letter.id, status: { in: WAITING } },
          data: { status: "held", lastError: reason },
        });
        report.held += count;
      }
      continue;
    }

    const next = successor.office;
    for (const letter of letters) {
      const signature = letter.signature;
      // The supporter may already write to this office (say, as a campaign's extra office).
      const clash = await db.letter.findUnique({
        where: { signatureId_officeId: { signatureId: signature.id, officeId: next.id } },
        select: { id: true },
      });
      if (clash) {
        await db.delivery.updateMany({
          where: { letterId: letter.id, status: { in: WAITING } },
          data: {
            status: "cancelled",
            lastError: `${officeHolder(office)} left office; the supporter's letter to the successor, ${officeHolder(next)}, already exists.`,
          },
        });
        continue;
      }
      const composed = composeLetter({
        template: campaignContent(signature.campaign),
        office: { ...next, chamber: next.chamber as LetterOffice["chamber"] },
        supporter: signature,
        points: JSON.parse(signature.points) as string[],
        // The same seed signing used, so the new letter reads like the supporter's others.
        seed: signature.id,
      });
      const { html } = await renderLetterEmail(composed);
      const moved = await db.$transaction(async (tx) => {
        // The deliveries first, each only if it is still waiting: a worker may have claimed one since
        // the read above. The letter is rewritten only when its deliveries moved with it (or it has
        // none yet), so an office never receives a letter composed for another.
        const waiting = letter.deliveries.filter((d) => WAITING.includes(d.status));
        let movedDeliveries = 0;
        for (const delivery of waiting) {
          // The counters follow status changes (see the workspace migration's triggers), so the
          // office changes together with a status change: to "held" first when it was queued.
          if (delivery.status === "queued") {
            await tx.delivery.updateMany({
              where: { id: delivery.id, status: "queued" },
              data: { status: "held", officeId: next.id },
            });
          }
          const { count } = await tx.delivery.updateMany({
            where: { id: delivery.id, status: "held" },
            data: {
              status: "queued",
              officeId: next.id,
              attempts: 0,
              runAt: new Date(),
              lastError: null,
              leaseOwner: null,
              leaseExpiresAt: null,
            },
          });
          movedDeliveries += count;
        }
        if (waiting.length > 0 && movedDeliveries === 0) return false;
        await tx.letter.update({
          where: { id: letter.id },
          data: {
            officeId: next.id,
            subject: composed.subject,
            salutation: composed.salutation,
            bodyText: composed.text,
            bodyHtml: html,
          },
        });
        return true;
      });
      if (!moved) continue;
      report.rerouted++;
    }
  }
  return report;
}

async function findSuccessor(
  db: Db,
  office: Office,
  departed: Office[],
  arrived: Office[],
): Promise<{ office: Office; why?: undefined } | { office: null; why: string }> {
  if (office.chamber === "house") {
    const holder = await db.office.findFirst({
      where: { chamber: "house", active: true, state: office.state, district: office.district, id: { not: office.id } },
    });
    return holder ? { office: holder } : { office: null, why: "no successor yet" };
  }
  if (office.chamber === "senate") {
    // Senate seats are not named in the data; a successor is certain only when exactly one
    // senator of the state left and exactly one arrived.
    const newcomers = arrived.filter((o) => o.chamber === "senate" && o.state === office.state);
    const leavers = departed.filter((o) => o.chamber === "senate" && o.state === office.state);
    if (newcomers.length === 0) return { office: null, why: "no successor yet" };
    if (newcomers.length === 1 && leavers.length === 1) return { office: newcomers[0] };
    return {
      office: null,
      why: `${newcomers.length} new senators from ${office.state}, so which seat is whose is unclear (reassign by hand)`,
    };
  }
  return { office: null, why: "no successor is known for this kind of office" };
}
