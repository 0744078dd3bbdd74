// The team: owners invite people by a single-use link, change roles and remove accounts; there
// is always at least one owner left. Everything here is written to the audit log.
import { randomUUID } from "node:crypto";
import { render } from "@react-email/render";
import { createElement } from "react";
import { OrganizerInviteEmail, organizerInviteSubject } from "#emails/organizer-invite";
import { recordAudit, type Actor } from "~/audit/audit.server";
import { hashToken, newToken } from "~/security/tokens.server";
import type { Db } from "~/db/client.server";
import { appUrl, env } from "~/env.server";
import type { Organizer } from "~/generated/prisma/client";
import { mailTransport } from "~/services.server";
import { hashPassword, verifyPassword } from "./password.server";
import type { Role } from "./roles";

export const INVITE_DAYS = 7;

export class TeamError extends Error {}

export function inviteUrl(token: string): string {
  return `${appUrl()}/admin/invite/${token}`;
}

/** Creates the invitation and e-mails its link; the link is also returned to show the owner. */
export async function inviteOrganizer(
  db: Db,
  actor: Actor,
  input: { email: string; role: Role },
  now = new Date(),
): Promise<{ url: string; expiresAt: Date; emailed: boolean }> {
  if (await db.organizer.findUnique({ where: { email: input.email } })) {
    throw new TeamError(`${input.email} already has an account`);
  }
  const { token, tokenHash } = newToken();
  const expiresAt = new Date(now.getTime() + INVITE_DAYS * 24 * 60 * 60 * 1000);
  await db.$transaction(async (tx) => {
    // A new invitation replaces any earlier unused one for the same address.
    await tx.organizerInvite.deleteMany({ where: { email: input.email, usedAt: null } });
    await tx.organizerInvite.create({
      data: { email: input.email, role: input.role, tokenHash, expiresAt, invitedById: actor.id, createdAt: now },
    });
    await recordAudit(tx, actor, "organizer.invite", { email: input.email, role: input.role });
  });
  const url = inviteUrl(token);
  let emailed = true;
  try {
    const element = createElement(OrganizerInviteEmail, {
      inviter: actor.email,
      role: input.role,
      url,
      days: INVITE_DAYS,
    });
    await mailTransport().send(`invite-${randomUUID()}`, {
      from: env().MAIL_FROM,
      to: input.email,
      subject: organizerInviteSubject(),
      html: await render(element),
      text: await render(element, { plainText: true }),
    });
  } catch (error) {
    // The owner still sees the link and can pass it on another way.
    console.error(`[team] could not e-mail the invitation: ${(error as Error).message}`);
    emailed = false;
  }
  return { url, expiresAt, emailed };
}

export type InviteState = { state: "valid"; email: string; role: string } | { state: "used" | "expired" | "unknown" };

export async function findInvite(db: Db, token: string, now = new Date()): Promise<InviteState> {
  const invite = await db.organizerInvite.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!invite) return { state: "unknown" };
  if (invite.usedAt) return { state: "used" };
  if (invite.expiresAt.getTime() <= now.getTime()) return { state: "expired" };
  return { state: "valid", email: invite.email, role: invite.role };
}

/** Spends the invitation and creates the account, in one transaction: a link works once. */
export async function acceptInvite(
  db: Db,
  token: string,
  input: { name: string; password: string },
  now = new Date(),
): Promise<Organizer | InviteState> {
  const passwordHash = await hashPassword(input.password);
  const tokenHash = hashToken(token);
  return db.$transaction(async (tx) => {
    const spent = await tx.organizerInvite.updateMany({
      where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (spent.count !== 1) {
      const invite = await tx.organizerInvite.findUnique({ where: { tokenHash } });
      return { state: !invite ? "unknown" : invite.usedAt ? "used" : "expired" } as InviteState;
    }
    const invite = await tx.organizerInvite.findUniqueOrThrow({ where: { tokenHash } });
    if (await tx.organizer.findUnique({ where: { email: invite.email } })) return { state: "used" } as InviteState;
    const organizer = await tx.organizer.create({
      data: { email: invite.email, name: input.name, role: invite.role, passwordHash },
    });
    await recordAudit(tx, organizer, "organizer.join", { email: invite.email, role: invite.role, inviteId: invite.id });
    return organizer;
  });
}

export async function listTeam(db: Db, now = new Date()) {
  const [organizers, invites] = await Promise.all([
    db.organizer.findMany({ orderBy: [{ role: "asc" }, { email: "asc" }] }),
    db.organizerInvite.findMany({ where: { usedAt: null, expiresAt: { gt: now } }, orderBy: { createdAt: "desc" } }),
  ]);
  return {
    organizers: organizers.map((o) => ({
      id: o.id,
      email: o.email,
      name: o.name,
      role: o.role,
      since: o.createdAt.toISOString(),
    })),
    invites: invites.map((i) => ({ id: i.id, email: i.email, role: i.role, expiresAt: i.expiresAt.toISOString() })),
  };
}

/** Changes a role; refuses to leave the team without an owner. */
export async function changeRole(db: Db, actor: Actor, organizerId: string, role: Role): Promise<void> {
  await db.$transaction(async (tx) => {
    const target = await tx.organizer.findUnique({ where: { id: organizerId } });
    if (!target) throw new TeamError("That account no longer exists");
    if (target.role === role) return;
    await tx.organizer.update({ where: { id: organizerId }, data: { role } });
    // Counted after the write, inside the transaction: two owners demoting each other at once
    // cannot both succeed.
    if ((await tx.organizer.count({ where: { role: "owner" } })) === 0) {
      throw new TeamError("The team must keep at least one owner");
    }
    await recordAudit(tx, actor, "organizer.role", { email: target.email, from: target.role, to: role });
  });
}

/** Removes an account (its sessions end with it); refuses to remove the last owner. */
export async function removeOrganizer(db: Db, actor: Actor, organizerId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const target = await tx.organizer.findUnique({ where: { id: organizerId } });
    if (!target) return;
    await tx.organizer.delete({ where: { id: organizerId } });
    if ((await tx.organizer.count({ where: { role: "owner" } })) === 0) {
      throw new TeamError("The team must keep at least one owner");
    }
    await recordAudit(tx, actor, "organizer.remove", { email: target.email, role: target.role });
  });
}

export async function revokeInvite(db: Db, actor: Actor, inviteId: string): Promise<void> {
  const invite = await db.organizerInvite.findUnique({ where: { id: inviteId } });
  if (!invite || invite.usedAt) return;
  await db.$transaction(async (tx) => {
    await tx.organizerInvite.delete({ where: { id: inviteId } });
    await recordAudit(tx, actor, "organizer.invite", { email: invite.email, role: invite.role, revoked: true });
  });
}

/**
 * Changes one's own password after checking the current one, and signs out every other
 * browser (whoever knew the old password is out).
 */
export async function changePassword(
  db: Db,
  organizer: Organizer,
  input: { current: string; password: string },
  keepSessionId: string | null,
): Promise<boolean> {
  if (!(await verifyPassword(input.current, organizer.passwordHash))) return false;
  const passwordHash = await hashPassword(input.password);
  await db.$transaction(async (tx) => {
    await tx.organizer.update({ where: { id: organizer.id }, data: { passwordHash } });
    await tx.organizerSession.deleteMany({
      where: { organizerId: organizer.id, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) },
    });
    await recordAudit(tx, organizer, "organizer.password", { email: organizer.email });
  });
  return true;
}
