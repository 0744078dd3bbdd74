// Organizer accounts.
import type { Db } from "~/db/client.server";
import { hashPassword } from "./password.server";

/**
 * The first organizer, from ADMIN_EMAIL / ADMIN_PASSWORD. Created once, as owner; an
 * existing account keeps the password its owner may have changed since.
 */
export async function ensureFirstOrganizer(db: Db, email: string | undefined, password: string | undefined) {
  if (!email || !password) return null;
  const normalized = email.trim().toLowerCase();
  const existing = await db.organizer.findUnique({ where: { email: normalized } });
  if (existing) return existing;
  return db.organizer.create({
    data: { email: normalized, passwordHash: await hashPassword(password), role: "owner" },
  });
}
