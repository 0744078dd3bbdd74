// The audit log: what organizers did that owners must be able to read back (exports with their
// filter and row count, invitations, role changes). Rows are only ever added, never edited,
// except that an export's row count is filled in when the export finishes.
import { hostname, userInfo } from "node:os";
import type { DbClient } from "~/db/client.server";

export type AuditAction =
  | "export.signatures"
  | "export.areas"
  | "export.packet"
  | "export.packet.pdf"
  | "organizer.invite"
  | "organizer.join"
  | "organizer.role"
  | "organizer.remove"
  | "organizer.password";

export interface Actor {
  id: string;
  email: string;
}

/**
 * Who an event is recorded for: an organizer, or someone at the server's command line, who has
 * no account (id null) and is named by their operating-system account instead of an e-mail.
 */
export type AuditActor = Actor | { id: null; email: string };

/** The person running a command on the server, as truthfully as the system tells. */
export function commandLineActor(): AuditActor {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    // A uid with no entry in the password database (a container's, often).
    user = process.env.USER ?? process.env.LOGNAME ?? `uid ${process.getuid?.() ?? "unknown"}`;
  }
  const sudo = process.env.SUDO_USER ? ` via sudo from ${process.env.SUDO_USER}` : "";
  return { id: null, email: `command line: ${user}${sudo} on ${hostname()}` };
}

export async function recordAudit(
  db: DbClient,
  actor: AuditActor,
  action: AuditAction,
  detail: Record<string, unknown>,
  rows?: number,
): Promise<string> {
  const event = await db.auditEvent.create({
    data: { organizerId: actor.id, actorEmail: actor.email, action, detail: JSON.stringify(detail), rows },
  });
  return event.id;
}

/** An export is logged when it starts (so an interrupted one still shows) and counted when it ends. */
export async function finishAudit(db: DbClient, eventId: string, rows: number): Promise<void> {
  await db.auditEvent.update({ where: { id: eventId }, data: { rows } });
}

export const AUDIT_PAGE_SIZE = 100;

/** The newest events first, a page at a time (keyset on time then id, so paging never skips). */
export async function listAudit(db: DbClient, options: { action?: string; before?: string } = {}) {
  const cursor = options.before ? await db.auditEvent.findUnique({ where: { id: options.before } }) : null;
  const rows = await db.auditEvent.findMany({
    where: {
      ...(options.action ? { action: { startsWith: options.action } } : {}),
      ...(cursor
        ? {
            OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }],
          }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: AUDIT_PAGE_SIZE + 1,
  });
  const page = rows.slice(0, AUDIT_PAGE_SIZE);
  return {
    events: page.map((e) => ({
      id: e.id,
      at: e.createdAt.toISOString(),
      actor: e.actorEmail,
      action: e.action,
      detail: e.detail,
      rows: e.rows,
    })),
    next: rows.length > AUDIT_PAGE_SIZE ? page[page.length - 1].id : null,
  };
}
