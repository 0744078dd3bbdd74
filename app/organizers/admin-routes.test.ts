// Every route of the organizers' area checks the role on the server. The route files are read
// from app/routes at test time, so a new /admin route cannot be forgotten: a file missing from
// ACCESS below fails the test until someone decides who may use it.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerBuild } from "@remix-run/node";
import type { Organizer } from "~/generated/prisma/client";
import { createTestDb, type TestDb } from "../../test/db";
import { roleAllows, type Role } from "./roles";

type Level = Role | "public";
/**
 * The least role each route needs: one level for reading and writing, `{ loader, action }` where
 * they differ, or `{ loader }` alone for a route without an action (Remix answers a POST to it 405).
 */
const ACCESS: Record<string, Level | { loader: Level; action?: Level }> = {
  "admin._index.tsx": { loader: "viewer" },
  "admin.account.tsx": "viewer",
  "admin.audit.tsx": { loader: "owner" },
  "admin.campaigns._index.tsx": { loader: "viewer" },
  "admin.campaigns.new.tsx": "organizer",
  "admin.campaigns.$slug._index.tsx": { loader: "viewer" },
  "admin.campaigns.$slug_.edit.tsx": "organizer",
  // Rendering letters for a ZIP changes nothing; viewers may look.
  "admin.campaigns.$slug_.preview.tsx": "viewer",
  "admin.campaigns.$slug.areas[.csv].ts": { loader: "organizer" },
  "admin.campaigns.$slug.packet.$officeKey._index.tsx": { loader: "organizer" },
  "admin.campaigns.$slug.packet.$officeKey.pdf.ts": { loader: "organizer" },
  "admin.deliveries.tsx": "organizer",
  "admin.exports._index.tsx": { loader: "organizer" },
  "admin.exports.signatures[.csv].ts": { loader: "organizer" },
  // The invitation link is the credential: its page is for people without an account yet.
  "admin.invite.$token.tsx": "public",
  "admin.login.tsx": "public",
  "admin.logout.tsx": "public",
  "admin.moderation.tsx": "organizer",
  "admin.offices.tsx": { loader: "viewer", action: "organizer" },
  "admin.outbox.$file.tsx": { loader: "organizer" },
  "admin.outbox._index.tsx": { loader: "organizer" },
  "admin.team.tsx": "owner",
};

/**
 * What a visitor without a session gets from the public routes: the page or the form's errors
 * (the sample token is no invitation, the posted form is empty), never a refusal.
 */
const PUBLIC_ANSWERS: Record<string, Record<"GET" | "POST", Outcome>> = {
  "admin.invite.$token.tsx": {
    GET: { status: 200, location: null, data: { invite: { state: "unknown" } } },
    POST: { status: 400, location: null },
  },
  "admin.login.tsx": { GET: { status: 200, location: null, data: null }, POST: { status: 400, location: null } },
  // Signing out without a session is harmless: it lands on the sign-in page as after a sign-out.
  "admin.logout.tsx": { GET: { status: 302, location: "/admin" }, POST: { status: 302, location: "/admin/login" } },
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

/**
 * The URL a flat route file serves, with "sample" for each parameter, and the route as Remix
 * declares it (its path pattern, and whether it is an index route).
 */
function routeUrl(file: string): { url: string; params: Record<string, string>; path: string; index: boolean } {
  const params: Record<string, string> = {};
  const pattern: string[] = [];
  const name = file.replace(/(\/route)?\.tsx?$/, "");
  const segments = name
    .split(/\.(?![^[]*\])/)
    .filter((s) => s !== "_index" && !s.startsWith("_"))
    .map((s) => {
      if (s.startsWith("$")) {
        const param = s.slice(1).replace(/_$/, "");
        params[param] = "sample";
        pattern.push(`:${param}`);
        return "sample";
      }
      const literal = s.replace(/_$/, "").replace(/\[(.*?)\]/g, "$1");
      pattern.push(literal);
      return literal;
    });
  return {
    url: `http://localhost/${segments.join("/")}`,
    params,
    path: pattern.join("/"),
    index: name.endsWith("._index"),
  };
}

interface Outcome {
  status: number;
  location: string | null;
  /** What a loader or action returned as data (not a Response), when the test cares. */
  data?: unknown;
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
  if (init) return { status: init.status ?? 200, location: null };
  return { status: 200, location: null, data: result };
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

/**
 * Remix's own answer to a POST: the app's request handler over a build of the app's root and this
 * one route module, as the production server (server/index.ts) runs the real build.
 */
async function remixAnswer(file: string, mod: RouteModule, cookie?: string): Promise<number> {
  const [{ createRequestHandler }, root, { default: remixConfig }] = await Promise.all([
    import("@remix-run/node"),
    import("~/root"),
    import("../../remix.config.js"),
  ]);
  const { url, path, index } = routeUrl(file);
  const build = {
    mode: "production",
    entry: {
      module: {
        // The document's status is all this asks for: no page is rendered.
        default: (_request: Request, status: number) => new Response(null, { status }),
        handleError: () => {},
      },
    },
    routes: {
      root: { id: "root", path: "", module: root },
      [file]: { id: file, parentId: "root", path, index, module: mod },
    },
    assets: { entry: { imports: [], module: "" }, routes: {}, url: "", version: "test" },
    publicPath: "/",
    assetsBuildDirectory: "",
    future: remixConfig.future,
    isSpaMode: false,
  } as unknown as ServerBuild;
  const response = await createRequestHandler(build)(request(index ? `${url}?index` : url, "POST", cookie));
  await response.body?.cancel();
  return response.status;
}

describe.each(Object.keys(ACCESS))("%s", (file) => {
  const entry = ACCESS[file];
  const levels = typeof entry === "string" ? { loader: entry, action: entry } : entry;
  const { url, params } = routeUrl(file);
  const load = async () => (await import(/* @vite-ignore */ join(ROUTES_DIR, file))) as RouteModule;

  for (const kind of ["loader", "action"] as const) {
    const method = kind === "loader" ? "GET" : "POST";
    const needed = levels[kind];

    if (!needed) {
      it(`${method}: has no ${kind}, and Remix answers 405 to a visitor and to every role`, async () => {
        const mod = await load();
        expect(mod[kind], `${file} exports its ${kind} now: give it a level in ACCESS`).toBeUndefined();
        expect(await remixAnswer(file, mod), "a visitor").toBe(405);
        for (const role of ["viewer", "organizer", "owner"] as const) {
          expect(await remixAnswer(file, mod, cookies[role]), role).toBe(405);
        }
      });
      continue;
    }

    const exported = async () => {
      const fn = (await load())[kind];
      expect(fn, `ACCESS gives ${file} a level for its ${kind}, but it exports none`).toBeTypeOf("function");
      return fn!;
    };

    if (needed === "public") {
      it(`${method}: is open to a visitor without a session`, async () => {
        const fn = await exported();
        const answer = await outcome(() => fn({ request: request(url, method), params, context: {} }));
        expect(PUBLIC_ANSWERS[file]?.[method], `give ${file} its answers in PUBLIC_ANSWERS`).toBeTruthy();
        expect(answer).toEqual(PUBLIC_ANSWERS[file]![method]);
      });
      continue;
    }

    it(`${method}: refuses a visitor without a session`, async () => {
      const fn = await exported();
      const answer = await outcome(() => fn({ request: request(url, method), params, context: {} }));
      if (answer.status === 302) expect(answer.location).toMatch(/^\/admin\/login\?redirectTo=/);
      else expect([401, 403]).toContain(answer.status);
    });

    it(`${method}: refuses every role below ${needed} and lets ${needed} through`, async () => {
      const fn = await exported();
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
