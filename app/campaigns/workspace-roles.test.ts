// Role checks of the organizers' workspace pages, through the route modules themselves with
// real sessions on a real SQLite file: viewers see campaigns and offices, only organizers (and owners) change.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../../test/db";
import { parseDeliveryFilter } from "~/delivery/admin.server";
import { startSession } from "~/organizers/session.server";
import * as campaignsList from "~/routes/admin.campaigns._index";
import * as newCampaign from "~/routes/admin.campaigns.new";
import * as editCampaign from "~/routes/admin.campaigns.$slug_.edit";
import * as deliveries from "~/routes/admin.deliveries";
import * as moderation from "~/routes/admin.moderation";
import * as offices from "~/routes/admin.offices";
import { createCampaign } from "./campaigns.server";

let t: TestDb;
const cookies: Record<string, string> = {};
beforeAll(async () => {
  t = await createTestDb();
  // The route modules use the process's shared client; point it at the test database.
  (globalThis as { __sincerelyDb?: unknown }).__sincerelyDb = t.db;
  for (const role of ["viewer", "organizer", "owner"]) {
    const organizer = await t.db.organizer.create({
      data: { email: `${role}@coalition.example`, role, passwordHash: "unused" },
    });
    const response = await startSession(organizer, "/admin");
    cookies[role] = response.headers.get("Set-Cookie")!.split(";")[0];
  }
  await createCampaign(t.db, { slug: "roles", template: "landmines-2020" });
});
afterAll(async () => {
  delete (globalThis as { __sincerelyDb?: unknown }).__sincerelyDb;
  await t.cleanup();
});

function post(path: string, role: string | null, fields: Record<string, string>) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  return new Request(`http://localhost${path}`, {
    method: "POST",
    body,
    headers: role ? { Cookie: cookies[role] } : {},
  });
}
const get = (path: string, role: string | null) =>
  new Request(`http://localhost${path}`, { headers: role ? { Cookie: cookies[role] } : {} });

async function status(run: () => Promise<unknown>): Promise<number> {
  try {
    const result = await run();
    if (result instanceof Response) return result.status;
    // Remix's data(value, { status }) carries its status in `init`.
    return (result as { init?: { status?: number } | null } | null)?.init?.status ?? 200;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });

describe("role checks", () => {
  it("sends a visitor without a session to the sign-in form", async () => {
    expect(await status(() => campaignsList.loader(args(get("/admin/campaigns", null))))).toBe(302);
    expect(
      await status(() => deliveries.action(args(post("/admin/deliveries", null, { intent: "retry-failed" })))),
    ).toBe(302);
  });

  it("lets a viewer look but not change anything", async () => {
    expect(await status(() => campaignsList.loader(args(get("/admin/campaigns", "viewer"))))).toBe(200);
    // Pages with supporters' names and words are for organizers; viewers have the dashboards.
    expect(await status(() => deliveries.loader(args(get("/admin/deliveries", "viewer"))))).toBe(403);
    expect(await status(() => moderation.loader(args(get("/admin/moderation", "viewer"))))).toBe(403);
    expect(await status(() => offices.loader(args(get("/admin/offices", "viewer"))))).toBe(200);
    // The editor is for those who may save.
    expect(await status(() => newCampaign.loader(args(get("/admin/campaigns/new", "viewer"))))).toBe(403);

    const changes: Array<() => Promise<unknown>> = [
      () => newCampaign.action(args(post("/admin/campaigns/new", "viewer", { intent: "save", title: "x" }))),
      () =>
        editCampaign.action(
          args(post("/admin/campaigns/roles/edit", "viewer", { intent: "status", to: "closed" }), { slug: "roles" }),
        ),
      () => deliveries.action(args(post("/admin/deliveries", "viewer", { intent: "pause", campaign: "roles" }))),
      () => moderation.action(args(post("/admin/moderation", "viewer", { decision: "reject", signatureId: "x" }))),
      () => offices.action(args(post("/admin/offices", "viewer", { intent: "deactivate", key: "WH" }))),
    ];
    for (const change of changes) expect(await status(change)).toBe(403);
    expect(await t.db.campaign.findUniqueOrThrow({ where: { slug: "roles" } })).toMatchObject({
      status: "live",
      paused: false,
    });
  });

  it("answers a post about an office that does not exist with 404, not a server error", async () => {
    for (const intent of ["deactivate", "activate"]) {
      expect(
        await status(() =>
          offices.action(args(post("/admin/offices", "organizer", { intent, key: "NOSUCH01'\"<x>" }))),
        ),
      ).toBe(404);
    }
    expect(await t.db.office.count({ where: { active: false } })).toBe(0);
  });

  it("lets an organizer and an owner change things", async () => {
    for (const role of ["organizer", "owner"]) {
      const paused = role === "organizer";
      const intent = paused ? "pause" : "resume";
      expect(
        await status(() => deliveries.action(args(post("/admin/deliveries", role, { intent, campaign: "roles" })))),
      ).toBe(200);
      expect((await t.db.campaign.findUniqueOrThrow({ where: { slug: "roles" } })).paused).toBe(paused);
    }
    const audit = await t.db.auditEvent.findMany({ where: { action: { in: ["campaign.pause", "campaign.resume"] } } });
    expect(audit.map((a) => `${a.actorEmail} ${a.action}`)).toEqual([
      "organizer@coalition.example campaign.pause",
      "owner@coalition.example campaign.resume",
    ]);
  });
});

describe("parseDeliveryFilter", () => {
  it("keeps known statuses and sane pages, and drops the rest", () => {
    expect(parseDeliveryFilter(new URLSearchParams("campaign=roles&status=failed&office=c000127&page=3"))).toEqual({
      campaign: "roles",
      status: "failed",
      office: "c000127",
      page: 3,
    });
    expect(parseDeliveryFilter(new URLSearchParams("status=exploded&page=0&campaign=%20"))).toEqual({
      campaign: undefined,
      status: undefined,
      office: undefined,
      page: 1,
    });
  });
});
