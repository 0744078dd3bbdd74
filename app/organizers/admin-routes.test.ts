// Every route of the organizers' area checks the role on the server. The route files are read
// from app/routes at test time, so a new /admin route cannot be forgotten: a file missing from
// ACCESS below fails the test until someone decides who may use it.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Organizer } from "~/generated/prisma/client";
import { createTestDb, type TestDb } from "../../test/db";
import { roleAllows, type Role } from "./roles";

type Level = Role | "public";
/** The least role each route needs; `{ loader, action }` where reading and writing differ. */
const ACCESS: Record<string, Level | { loader?: Level; action?: Level }> = {
  "admin._index.tsx": "viewer",
  "admin.account.tsx": "viewer",
  "admin.audit.tsx": "owner",
  "admin.campaigns._index.tsx": "viewer",
  "admin.campaigns.new.tsx": "organizer",
  "admin.campaigns.$slug._index.tsx": "viewer",
  "admin.campaigns.$slug_.edit.tsx": "organizer",
  // Rendering letters for a ZIP changes nothing; viewers may look.
  "admin.campaigns.$slug_.preview.tsx": "viewer",
  "admin.campaigns.$slug.areas[.csv].ts": "organizer",
  "admin.campaigns.$slug.packet.$officeKey._index.tsx": "organizer",
  "admin.campaigns.$slug.packet.$officeKey.pdf.ts": "organizer",
  "admin.deliveries.tsx": "organizer",
  "admin.exports._index.tsx": "organizer",
  "admin.exports.signatures[.csv].ts": "organizer",
  // The invitation link is the credential: its page is for people without an account yet.
  "admin.invite.$token.tsx": "public",
  "admin.login.tsx": "public",
  "admin.logout.tsx": "public",
  "admin.moderation.tsx": "organizer",
  "admin.offices.tsx": { loader: "viewer", action: "organizer" },
  "admin.outbox.$file.tsx": "organizer",
  "admin.outbox._index.tsx": "organizer",
  "admin.team.tsx": "owner",
};

const ROUTES_DIR = join(__dirname, "..", "routes");
/** Route modules of the organizers' area: flat files, and folders' route.tsx (Remix's other convention). */
const adminRouteFiles = () =>
  readdirSync(ROUTES_DIR, { withFileTypes: true })
    .filter((e) => /^admin[.[_]/.test(e.name))
    .flatMap((e) =>
      e.isDirectory()
        ? readdirSync(join(ROUTES_DIR, e.name))
            .filter((f) => /^route\.tsx?$/.test(f))
            .map((f) => `${e.name}/${f}`)
        : /\.tsx?$/.test(e.name)
          ? [e.name]
          : [],
    );

/** The URL a flat route file serves, with "sample" for each parameter. */
function routeUrl(file: string): { url: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const segments = file
    .replace(/(\/route)?\.tsx?$/, "")
    .split(/\.(?![^[]*\])/)
    .filter((s) => s !== "_index" && !s.startsWith("_"))
    .map((s) => {
      if (s.startsWith("$")) {
        params[s.slice(1)] = "sample";
        return "sample";
      }
      return s.replace(/\[(.*?)\]/g, "$1");
    });
  return { url: `http://localhost/${segments.join("/")}`, params };
}

interface Outcome {
  status: number;
  location: string | null;
}

/** Runs a loader or action the way Remix would, and reports the HTTP answer it makes. */
async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  let result: unknown;
  try {
    result = await run();
  } catch (thrown) {
    result = thrown;
    if (!(thrown instanceof Response)) throw thrown;
  }
  if (result instanceof Response) {
    await result.body?.cancel();
    return { status: result.status, location: result.headers.get("Location") };
  }
  const init = (result as { init?: { status?: number } } | null)?.init;
  return { status: init?.status ?? 200, location: null };
}

type RouteModule = {
  loader?: (args: unknown) => Promise<unknown>;
  action?: (args: unknown) => Promise<unknown>;
};

let t: TestDb;
const cookies: Partial<Record<Role, string>> = {};

beforeAll(async () => {
  t = await createTestDb();
  // The routes use the process's shared client, created on first use from DATABASE_URL.
  process.env.DATABASE_URL = t.url;
  const { startSession } = await import("./session.server");
  for (const role of ["viewer", "organizer", "owner"] as const) {
    const organizer: Organizer = await t.db.organizer.create({
      data: { email: `${role}@example.org`, passwordHash: "scrypt$1$1$1$x$y", role },
    });
    const response = await startSession(organizer, "/admin");
    cookies[role] = response.headers.get("Set-Cookie")!.split(";")[0];
  }
});

afterAll(async () => {
  const { db } = await import("~/db/client.server");
  await db().$disconnect();
  await t.cleanup();
});

function request(url: string, method: "GET" | "POST", cookie?: string) {
  const headers = new Headers();
  if (cookie) headers.set("Cookie", cookie);
  if (method === "POST") headers.set("Content-Type", "application/x-www-form-urlencoded");
  return new Request(url, { method, headers, body: method === "POST" ? "intent=none" : undefined });
}

describe("the table of /admin routes", () => {
  it("names every route file of the organizers' area, and only those", () => {
    const files = adminRouteFiles();
    const missing = files.filter((f) => !(f in ACCESS));
    const stale = Object.keys(ACCESS).filter((f) => !files.includes(f));
    expect(missing, "add these route files to ACCESS with the least role they need").toEqual([]);
    expect(stale, "these route files no longer exist").toEqual([]);
  });
});

describe.each(Object.keys(ACCESS))("%s", (file) => {
  const entry = ACCESS[file];
  const levels = typeof entry === "string" ? { loader: entry, action: entry } : entry;
  const { url, params } = routeUrl(file);

  for (const kind of ["loader", "action"] as const) {
    const method = kind === "loader" ? "GET" : "POST";
    const needed = levels[kind];

    it(`${method}: refuses a visitor without a session`, async () => {
      const mod = (await import(/* @vite-ignore */ join(ROUTES_DIR, file))) as RouteModule;
      const fn = mod[kind];
      if (!fn) return;
      expect(needed, `${file} exports a ${kind}: give it a level in ACCESS`).toBeDefined();
      if (needed === "public") return;
      const answer = await outcome(() => fn({ request: request(url, method), params, context: {} }));
      if (answer.status === 302) expect(answer.location).toMatch(/^\/admin\/login\?redirectTo=/);
      else expect([401, 403]).toContain(answer.status);
    });

    it(`${method}: refuses every role below ${String(needed)} and lets ${String(needed)} through`, async () => {
      const mod = (await import(/* @vite-ignore */ join(ROUTES_DIR, file))) as RouteModule;
      const fn = mod[kind];
      if (!fn || !needed || needed === "public") return;
      for (const role of ["viewer", "organizer", "owner"] as const) {
        const answer = await outcome(() => fn({ request: request(url, method, cookies[role]), params, context: {} }));
        if (roleAllows(role, needed)) {
          expect(answer.status, `${role} may use ${method} ${file}`).not.toBe(403);
          expect(answer.location ?? "").not.toMatch(/^\/admin\/login/);
        } else {
          expect(answer.status, `${role} may not use ${method} ${file}`).toBe(403);
        }
      }
    });
  }
});

describe("role checks", () => {
  it.each([
    ["owner", "owner", true],
    ["owner", "viewer", true],
    ["organizer", "organizer", true],
    ["organizer", "owner", false],
    ["viewer", "viewer", true],
    ["viewer", "organizer", false],
    ["admin", "viewer", false],
    ["", "viewer", false],
  ] as const)("%s may do what needs %s: %s", (role, needed, allowed) => {
    expect(roleAllows(role, needed)).toBe(allowed);
  });
});
