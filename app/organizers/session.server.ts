// Organizer sessions: a signed, httpOnly, SameSite=Lax cookie holding the id of a session
// row. Signing out (or an owner removing an organizer) deletes the row, which ends the
// session everywhere.
import { createCookieSessionStorage, redirect, type SessionStorage } from "@remix-run/node";
import { db } from "~/db/client.server";
import { appSecret, appUrl, env } from "~/env.server";
import type { Organizer } from "~/generated/prisma/client";
import { verifyPassword } from "./password.server";
import { roleAllows, type Role } from "./roles";

const SESSION_DAYS = 14;

/**
 * Secure (sent over HTTPS only) whenever the app's address is https, and in production always,
 * except for a trial on this machine (a loopback APP_URL), which has no certificate.
 */
export function secureCookie(url = appUrl(), nodeEnv = env().NODE_ENV): boolean {
  if (url.startsWith("https://")) return true;
  const host = new URL(url).hostname;
  const loopback = host === "localhost" || host === "[::1]" || host.startsWith("127.");
  return nodeEnv === "production" && !loopback;
}

type SessionData = { sessionId: string };
let storage: SessionStorage<SessionData> | undefined;
function sessionStorage() {
  storage ??= createCookieSessionStorage<SessionData>({
    cookie: {
      name: "sincerely_session",
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: secureCookie(),
      secrets: [appSecret()],
      maxAge: SESSION_DAYS * 24 * 60 * 60,
    },
  });
  return storage;
}

export type { Role } from "./roles";

export async function getOrganizer(request: Request): Promise<Organizer | null> {
  const session = await sessionStorage().getSession(request.headers.get("Cookie"));
  const id = session.get("sessionId");
  if (typeof id !== "string") return null;
  const row = await db().organizerSession.findUnique({ where: { id }, include: { organizer: true } });
  if (!row || row.expiresAt.getTime() <= Date.now()) return null;
  return row.organizer;
}

/** Every /admin loader and action calls this first: the role is checked on the server. */
export async function requireOrganizer(request: Request, role: Role = "viewer"): Promise<Organizer> {
  const organizer = await getOrganizer(request);
  if (!organizer) {
    const url = new URL(request.url);
    throw redirect(`/admin/login?${new URLSearchParams({ redirectTo: url.pathname + url.search })}`);
  }
  if (!roleAllows(organizer.role, role)) {
    throw new Response("Your role does not allow this.", { status: 403 });
  }
  return organizer;
}

/** The id of the browser's session row (to keep it when signing out every other browser). */
export async function currentSessionId(request: Request): Promise<string | null> {
  const session = await sessionStorage().getSession(request.headers.get("Cookie"));
  const id = session.get("sessionId");
  return typeof id === "string" ? id : null;
}

export async function login(email: string, password: string): Promise<Organizer | null> {
  const organizer = await db().organizer.findUnique({ where: { email } });
  // Hash even for an unknown e-mail, so the answer's timing does not tell which addresses exist.
  const ok = await verifyPassword(password, organizer?.passwordHash ?? DUMMY_HASH);
  return organizer && ok ? organizer : null;
}

const DUMMY_HASH =
  "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";

export async function startSession(organizer: Organizer, redirectTo: string): Promise<Response> {
  const row = await db().organizerSession.create({
    data: { organizerId: organizer.id, expiresAt: new Date(Date.now() + SESSION_DAYS * 24 * 60 * 60 * 1000) },
  });
  const session = await sessionStorage().getSession();
  session.set("sessionId", row.id);
  return redirect(safeRedirect(redirectTo), {
    headers: { "Set-Cookie": await sessionStorage().commitSession(session) },
  });
}

export async function endSession(request: Request): Promise<Response> {
  const session = await sessionStorage().getSession(request.headers.get("Cookie"));
  const id = session.get("sessionId");
  if (typeof id === "string") await db().organizerSession.deleteMany({ where: { id } });
  return redirect("/admin/login", { headers: { "Set-Cookie": await sessionStorage().destroySession(session) } });
}

/** Only paths inside /admin: a login link cannot send an organizer to another site. */
export function safeRedirect(to: string | null | undefined): string {
  if (!to || !to.startsWith("/admin") || to.startsWith("//")) return "/admin";
  return to;
}
