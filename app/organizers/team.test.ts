// The team on a real SQLite file: invitations work once and expire, roles change, and the
// team never loses its last owner. Every change is in the audit log.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestDb, type TestDb } from "../../test/db";
import { verifyPassword } from "./password.server";
import { acceptInvite, changeRole, findInvite, inviteOrganizer, removeOrganizer, TeamError } from "./team.server";

const outbox = mkdtempSync(join(tmpdir(), "sincerely-outbox-"));
process.env.OUTBOX_DIR = outbox;
process.env.APP_URL = "https://sign.example.org";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.cleanup();
  rmSync(outbox, { recursive: true, force: true });
});

async function owner(email = `owner${Date.now()}${Math.random()}@example.org`) {
  return t.db.organizer.create({ data: { email, passwordHash: "x", role: "owner" } });
}

describe("invitations", () => {
  test("an invitation is e-mailed, stored only as a hash, and creates the account once", async () => {
    const inviter = await owner();
    const { url, emailed } = await inviteOrganizer(t.db, inviter, { email: "new@example.org", role: "viewer" });
    expect(emailed).toBe(true);
    const token = url.split("/admin/invite/")[1];
    const mail = readdirSync(outbox).map((f) => readFileSync(join(outbox, f), "utf8"));
    expect(mail.some((m) => m.includes("To: new@example.org") && m.includes(token))).toBe(true);
    expect(await t.db.organizerInvite.count({ where: { tokenHash: { contains: token } } })).toBe(0);
    expect(await findInvite(t.db, token)).toEqual({ state: "valid", email: "new@example.org", role: "viewer" });

    const created = await acceptInvite(t.db, token, { name: "New Person", password: "a long passphrase here" });
    expect(created).toMatchObject({ email: "new@example.org", role: "viewer", name: "New Person" });
    const stored = await t.db.organizer.findUniqueOrThrow({ where: { email: "new@example.org" } });
    expect(await verifyPassword("a long passphrase here", stored.passwordHash)).toBe(true);

    expect(await acceptInvite(t.db, token, { name: "Again", password: "another passphrase" })).toEqual({
      state: "used",
    });
    expect(await findInvite(t.db, token)).toEqual({ state: "used" });
    const actions = (await t.db.auditEvent.findMany({ where: { action: { startsWith: "organizer." } } })).map(
      (e) => e.action,
    );
    expect(actions).toEqual(expect.arrayContaining(["organizer.invite", "organizer.join"]));
  });

  test("an expired invitation creates nothing", async () => {
    const inviter = await owner();
    const { url } = await inviteOrganizer(
      t.db,
      inviter,
      { email: "late@example.org", role: "organizer" },
      new Date(Date.now() - 8 * 24 * 3600 * 1000),
    );
    const token = url.split("/admin/invite/")[1];
    expect(await findInvite(t.db, token)).toEqual({ state: "expired" });
    expect(await acceptInvite(t.db, token, { name: "Late", password: "a long passphrase here" })).toEqual({
      state: "expired",
    });
    expect(await t.db.organizer.count({ where: { email: "late@example.org" } })).toBe(0);
  });

  test("someone who has an account cannot be invited again", async () => {
    const inviter = await owner();
    await expect(inviteOrganizer(t.db, inviter, { email: inviter.email, role: "viewer" })).rejects.toThrow(TeamError);
  });
});

describe("roles", () => {
  test("the last owner can be neither demoted nor removed; with two owners, one can", async () => {
    await t.db.organizer.deleteMany({ where: { role: "owner" } });
    const first = await owner("first@example.org");
    await expect(changeRole(t.db, first, first.id, "organizer")).rejects.toThrow("at least one owner");
    await expect(removeOrganizer(t.db, first, first.id)).rejects.toThrow("at least one owner");
    expect((await t.db.organizer.findUniqueOrThrow({ where: { id: first.id } })).role).toBe("owner");

    const second = await owner("second@example.org");
    await changeRole(t.db, first, second.id, "viewer");
    expect((await t.db.organizer.findUniqueOrThrow({ where: { id: second.id } })).role).toBe("viewer");
    await removeOrganizer(t.db, first, second.id);
    expect(await t.db.organizer.count({ where: { id: second.id } })).toBe(0);
    const log = await t.db.auditEvent.findMany({
      where: { actorEmail: "first@example.org" },
      orderBy: { createdAt: "asc" },
    });
    expect(log.map((e) => [e.action, JSON.parse(e.detail).email])).toEqual([
      ["organizer.role", "second@example.org"],
      ["organizer.remove", "second@example.org"],
    ]);
  });
});
