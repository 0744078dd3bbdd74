// Organizers' changes to an office: the e-mail address a staffer gave them, or switching the
// office off and on. Letters the office was holding go out once it can receive them.
import { z } from "zod";
import type { Db } from "~/db/client.server";
import { releaseHeldLetters } from "~/delivery/release.server";
import type { Office } from "~/generated/prisma/client";
import { emailField } from "~/web/email-field";

const OfficeChanges = z.object({
  email: emailField.nullable().optional(),
  active: z.boolean().optional(),
});

export class OfficeNotFoundError extends Error {}

export async function updateOffice(
  db: Db,
  key: string,
  changes: z.input<typeof OfficeChanges>,
): Promise<{ office: Office; released: number }> {
  const parsed = OfficeChanges.parse(changes);
  const existing = await db.office.findUnique({ where: { key } });
  if (!existing) throw new OfficeNotFoundError(`No office with the key ${key} (a bioguide id such as C000127, or WH)`);
  return db.$transaction(async (tx) => {
    const office = await tx.office.update({ where: { key }, data: parsed });
    const released = office.active && office.email ? await releaseHeldLetters(tx, { officeId: office.id }) : 0;
    return { office, released };
  });
}
