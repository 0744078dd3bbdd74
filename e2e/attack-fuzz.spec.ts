// Property-based attack on the running app: thousands of generated posts to the real sign,
// confirm and sign-in endpoints (over HTTP, as a browser without JavaScript sends them). For
// every one: never a 5xx; a refused post stores nothing; the answer names the field at fault.
// ATTACK_RUNS scales the number of posts (default 1 = about 2,500).
import { expect, test, type APIRequestContext } from "@playwright/test";
import fc from "fast-check";
import { openAppDb, type AppDb } from "./app-db";
import { CAMPAIGN } from "./helpers";

const SCALE = Number(process.env.ATTACK_RUNS ?? 1);
const runs = (n: number) => Math.max(10, Math.round(n * SCALE));

test.describe.configure({ timeout: 15 * 60_000 });

/** The app's database (SQLite or PostgreSQL), read to prove that refused posts stored nothing. */
const database = openAppDb;
const count = (db: AppDb, sql: string) => db.count(sql);

/** A made-up client address per post, so per-address limits do not stop the fuzzing. */
const clientIp = fc
  .tuple(fc.integer({ min: 1, max: 223 }), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 }))
  .map((p) => p.join("."));

function encode(fields: [string, string][]): string {
  return fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
}

async function postForm(request: APIRequestContext, path: string, fields: [string, string][], ip: string) {
  return request.post(path, {
    data: encode(fields),
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": ip },
    maxRedirects: 0,
  });
}

// --- Sign -------------------------------------------------------------------------------------

const name = fc.stringMatching(/^[A-Za-z][A-Za-z' -]{0,20}[a-z]$/);
const valid = fc.record({
  firstName: name,
  lastName: name,
  email: fc.uuid().map((u) => `fuzz-${u}@example.org`),
  street: fc.stringMatching(/^[1-9][0-9]{0,4} [A-Z][a-z]{2,12} (St|Ave|Rd)$/),
  city: fc.constant("Seattle"),
  state: fc.constant("WA"),
  zip: fc.constantFrom("98103", "98103-1234"),
});
type Valid = typeof valid extends fc.Arbitrary<infer T> ? T : never;

const controlChar = fc.constantFrom("\r", "\n", "\r\n", "\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\u2028");
/** A typed value with a line break or control character somewhere in it. */
const withControl = fc
  .tuple(fc.string({ maxLength: 10 }), controlChar, fc.string({ maxLength: 10 }))
  .map(([a, c, b]) => `A${a}${c}${b}`);
const tooLong = (max: number) => fc.integer({ min: max + 1, max: max + 300 }).map((n) => "x".repeat(n));
const blank = fc.constantFrom("", " ", "   ", "\t");

/** One field made wrong, and the field the answer must name. */
const corruption: fc.Arbitrary<{ field: string; value: string; names: string }> = fc.oneof(
  ...(
    [
      ["firstName", 80],
      ["lastName", 80],
      ["street", 200],
      ["city", 100],
    ] as const
  ).map(([field, max]) => fc.oneof(withControl, tooLong(max), blank).map((value) => ({ field, value, names: field }))),
  fc
    .oneof(
      fc.string({ maxLength: 40 }).filter((s) => !/^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i.test(s.trim())),
      fc.emailAddress().map((e) => `${e}\r\nBcc: injected@evil.example`),
      fc.constant(`${"a".repeat(250)}@example.org`),
    )
    .map((value) => ({ field: "email", value, names: "email" })),
  fc
    .oneof(
      fc.string({ maxLength: 12 }).filter((s) => !/^\d{5}(-\d{4})?$/.test(s.trim())),
      fc.constantFrom("00000", "99999"), // no such ZIP
      fc.constantFrom("97201", "10001"), // a ZIP in another state than WA
    )
    .map((value) => ({ field: "zip", value, names: "zip" })),
  fc
    .string({ maxLength: 6 })
    .filter((s) => !/^[a-z]{2}$/i.test(s.trim()) || s.trim().toUpperCase() === "XX")
    .map((value) => ({ field: "state", value, names: "state" })),
  // A real state that the ZIP does not lie in: the ZIP is what is wrong with it.
  fc.constantFrom("OR", "NY", "CA").map((value) => ({ field: "state", value, names: "zip" })),
  fc
    .oneof(tooLong(2000), fc.constantFrom("Hello\u0000world", "Bell\u0007", "esc\u001b[31m"))
    .map((value) => ({ field: "message", value, names: "message" })),
  fc
    .oneof(fc.string({ minLength: 1, maxLength: 30 }), tooLong(100))
    .filter(
      (s) =>
        !/^(ban|accede|stockpiles|mine-action|mine-record|policy-2020|indiscriminate|recent-users|cluster-record)$/.test(
          s,
        ),
    )
    .map((value) => ({ field: "points", value, names: "points" })),
  fc.constantFrom("abc", "-1", "100", "1.5").map((value) => ({ field: "district", value, names: "district" })),
);

/** Fields no form has, which must be ignored (never stored, never an error). */
const extras = fc.array(
  fc.tuple(
    fc
      .string({ minLength: 1, maxLength: 12 })
      .filter(
        (k) => !/^(firstName|lastName|email|street|city|state|zip|district|points|message|consent|website)$/.test(k),
      ),
    fc.string({ maxLength: 40 }),
  ),
  { maxLength: 3 },
);

function fieldsOf(v: Valid, override?: { field: string; value: string }): [string, string][] {
  const fields: [string, string][] = Object.entries(v).map(([k, val]) => [k, val]);
  if (!override) return fields;
  const replaced = fields.filter(([k]) => k !== override.field);
  replaced.push([override.field, override.value]);
  return replaced;
}

test("sign: a post with any one field wrong gets a 400 naming that field, and stores nothing", async ({ request }) => {
  const db = await database();
  try {
    await fc.assert(
      fc.asyncProperty(valid, corruption, extras, clientIp, async (v, bad, extra, ip) => {
        const before = await count(db, `SELECT count(*) AS n FROM "Signature"`);
        const res = await postForm(request, CAMPAIGN, [...fieldsOf(v, bad), ...extra], ip);
        const html = await res.text();
        expect(res.status(), html.slice(0, 300)).toBe(400);
        expect(html).toContain(`href="#sign-${bad.names}"`);
        expect(await count(db, `SELECT count(*) AS n FROM "Signature"`)).toBe(before);
      }),
      { numRuns: runs(900) },
    );
  } finally {
    await db.close();
  }
});

test("sign: arbitrary junk is refused with a 4xx and stores nothing", async ({ request }) => {
  const db = await database();
  try {
    const junk = fc.array(fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 200, unit: "grapheme" })), {
      maxLength: 12,
    });
    await fc.assert(
      fc.asyncProperty(junk, clientIp, async (fields, ip) => {
        const before = await count(db, `SELECT count(*) AS n FROM "Signature"`);
        const res = await postForm(request, CAMPAIGN, fields, ip);
        expect(res.status()).toBeGreaterThanOrEqual(400);
        expect(res.status()).toBeLessThan(500);
        expect(await count(db, `SELECT count(*) AS n FROM "Signature"`)).toBe(before);
      }),
      { numRuns: runs(500) },
    );
  } finally {
    await db.close();
  }
});

test("sign: a valid post, with unknown fields added, stores exactly what was typed and nothing else", async ({
  request,
}) => {
  const db = await database();
  try {
    await fc.assert(
      fc.asyncProperty(valid, extras, clientIp, async (v, extra, ip) => {
        const res = await postForm(request, CAMPAIGN, [...fieldsOf(v), ...extra], ip);
        expect(res.status()).toBe(200);
        const rows = await db.rows(
          `SELECT "firstName", "lastName", "street", "zip" FROM "Signature" WHERE "email" = $1`,
          [v.email.toLowerCase()],
        );
        expect(rows).toEqual([
          {
            firstName: v.firstName.trim().replace(/ {2,}/g, " "),
            lastName: v.lastName.trim().replace(/ {2,}/g, " "),
            street: v.street,
            zip: v.zip.slice(0, 5),
          },
        ]);
      }),
      { numRuns: runs(40) },
    );
  } finally {
    await db.close();
  }
});

// --- Confirm ----------------------------------------------------------------------------------

test("confirm: made-up links are answered with a 4xx and confirm nothing", async ({ request }) => {
  const db = await database();
  const state = async () =>
    [
      await count(db, `SELECT count(*) AS n FROM "Signature" WHERE "status" = 'confirmed'`),
      await count(db, `SELECT count(*) AS n FROM "ConfirmationToken" WHERE "usedAt" IS NOT NULL`),
      await count(db, `SELECT count(*) AS n FROM "ConfirmationToken"`),
    ].join("/");
  try {
    const token = fc
      .oneof(
        fc.base64String({ minLength: 1, maxLength: 60 }).map((s) => s.replace(/\+/g, "-").replace(/\//g, "_")),
        fc.string({ minLength: 1, maxLength: 100, unit: "grapheme" }),
      )
      .filter((t) => t !== "." && t !== "..");
    const intent = fc.option(fc.oneof(fc.constantFrom("confirm", "resend"), fc.string({ maxLength: 20 })));
    await fc.assert(
      fc.asyncProperty(token, intent, fc.boolean(), clientIp, async (t, i, post, ip) => {
        const before = await state();
        const path = `/confirm/${encodeURIComponent(t)}`;
        const res = post
          ? await postForm(request, path, i === null ? [] : [["intent", i]], ip)
          : await request.get(path, { headers: { "X-Forwarded-For": ip } });
        expect(res.status(), `${post ? "POST" : "GET"} ${path}`).toBeLessThan(500);
        // An unknown link is a 404 (opened) or says it is unknown (pressed), and changes nothing.
        if (!post) expect([400, 404]).toContain(res.status());
        if (post) expect(await res.text()).toMatch(/recognise this link|Please wait a little|Page not found/);
        expect(await state()).toBe(before);
      }),
      { numRuns: runs(500) },
    );
  } finally {
    await db.close();
  }
});

// --- Sign in ----------------------------------------------------------------------------------

test("sign-in: generated credentials get a 4xx naming the field at fault and open no session", async ({ request }) => {
  const db = await database();
  try {
    const email = fc.oneof(
      fc.emailAddress(),
      fc.string({ maxLength: 30 }),
      fc.constant(""),
      fc.emailAddress().map((e) => `${e}\r\nBcc: x@evil.example`),
      fc.constant(`${"a".repeat(300)}@example.org`),
    );
    const password = fc.oneof(fc.string({ maxLength: 40 }), fc.constant(""), tooLong(1024));
    const redirectTo = fc.option(fc.oneof(fc.webUrl(), fc.string({ maxLength: 30 }), tooLong(2000)));
    await fc.assert(
      fc.asyncProperty(email, password, redirectTo, clientIp, async (e, p, r, ip) => {
        const before = await count(db, `SELECT count(*) AS n FROM "OrganizerSession"`);
        const fields: [string, string][] = [
          ["email", e],
          ["password", p],
        ];
        if (r !== null) fields.push(["redirectTo", r]);
        const res = await postForm(request, "/admin/login", fields, ip);
        const html = await res.text();
        expect(res.status(), html.slice(0, 200)).toBe(400);
        const typed = e.trim();
        if (typed === "" || !typed.includes("@") || /\s/.test(typed) || typed.length > 254) {
          expect(html).toContain('id="login-email-error"');
        }
        if (p === "" || p.length > 1024) expect(html).toContain('id="login-password-error"');
        // Whatever was wrong, the answer says what: a field, or that the two do not match.
        expect(html).toMatch(/id="login-(email|password)-error"|do not match an organizer account/);
        expect(res.headers()["set-cookie"]).toBeUndefined();
        expect(await count(db, `SELECT count(*) AS n FROM "OrganizerSession"`)).toBe(before);
      }),
      { numRuns: runs(400) },
    );
  } finally {
    await db.close();
  }
});
