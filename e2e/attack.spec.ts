// Attacks on the running app, each checked where a user (or an office) would notice it: in the
// mail a real SMTP server receives, in the page a browser runs, in the answers to forged posts.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { openAppDb } from "./app-db";
import { randomUUID } from "node:crypto";
import {
  ADMIN,
  CAMPAIGN,
  confirmationLink,
  fillSignForm,
  mailTo,
  supporter,
  TEST_INBOX,
  waitForMail,
  workerHadItsChance,
} from "./helpers";
import type { CapturedMail } from "./mail-sink";

/** A fresh made-up client address (the app trusts one proxy hop in the e2e setup). */
const freshIp = () =>
  `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

function post(
  request: APIRequestContext,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return request.post(path, {
    data: new URLSearchParams(fields).toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": freshIp(), ...headers },
    maxRedirects: 0,
  });
}

const validFields = (tag: string) => {
  const s = supporter(tag);
  return { ...s } as Record<string, string>;
};

/** Every header of a received message, as raw "Name: value" lines (unfolded). */
function headerNames(mail: CapturedMail): string[] {
  return [...mail.parsed.headers.keys()].map((k) => k.toLowerCase());
}

test.describe("mail header injection", () => {
  test("a line break in any one-line field is refused before anything is stored or sent", async ({
    request,
    browser,
  }) => {
    for (const field of ["firstName", "lastName", "email", "street", "city", "state", "zip"]) {
      const fields = validFields(`crlf-${field}`);
      fields[field] = `${fields[field]}\r\nBcc: injected@evil.example\r\nX-Injected: yes`;
      const res = await post(request, CAMPAIGN, fields);
      expect(res.status(), field).toBe(400);
      expect(await res.text(), field).toContain(`href="#sign-${field}"`);
    }
    // Line feeds alone, and a bare carriage return, are refused too.
    for (const breakChar of ["\n", "\r", "\u2028"]) {
      const fields = validFields("crlf-bare");
      fields.firstName = `Ada${breakChar}Bcc: injected@evil.example`;
      expect((await post(request, CAMPAIGN, fields)).status()).toBe(400);
    }
    // Once the worker has sent letters confirmed after these posts, nothing went to the Bcc.
    await workerHadItsChance(browser);
    const mail = await waitForMail(() => true);
    expect(mail.filter((m) => m.envelopeTo.includes("injected@evil.example"))).toEqual([]);
  });

  test("header-like text in a letter reaches the SMTP server as text, in no header", async ({ page }) => {
    const s = { ...supporter("hdr"), firstName: "Ada Bcc: injected@evil.example", street: "12 Main St Subject: hi" };
    const message =
      "Thank you.\r\nBcc: injected@evil.example\r\nX-Injected: yes\r\n\r\n.\r\nMAIL FROM:<evil@evil.example>";
    await page.goto(CAMPAIGN);
    await fillSignForm(page, s, message);
    await page.getByRole("button", { name: /Sign/ }).click();
    await expect(page.locator("article.letter")).toHaveCount(4);
    const [confirmation] = (await waitForMail((m) => m.some(mailTo(s.email)))).filter(mailTo(s.email));
    await page.goto(confirmationLink(confirmation));
    await expect(page.getByRole("heading", { level: 1 })).toContainText(/confirmed/i);
    const letters = (
      await waitForMail((m) => m.filter((x) => x.parsed.replyTo?.text.includes(s.email)).length >= 4)
    ).filter((x) => x.parsed.replyTo?.text.includes(s.email));

    for (const mail of [confirmation, ...letters]) {
      expect(headerNames(mail)).not.toContain("x-injected");
      expect(headerNames(mail)).not.toContain("bcc");
      expect(mail.envelopeTo).not.toContain("evil.example");
    }
    expect(confirmation.envelopeTo).toBe(s.email);
    for (const letter of letters) {
      expect(letter.envelopeTo).toBe(TEST_INBOX);
      expect(letter.parsed.replyTo?.value.map((a) => a.address)).toEqual([s.email]);
      // The words arrived, as the letter's text.
      expect(letter.parsed.text).toContain("X-Injected: yes");
    }
  });
});

test.describe("script injection", () => {
  const payloads = {
    firstName: `<script>window.__xss=1</script>`,
    lastName: `"><img src=x onerror="window.__xss=2">`,
    street: `1 Main St <svg onload="window.__xss=3">`,
    city: `</textarea><script>window.__xss=4</script>`,
  };
  const message = `<script>window.__xss=5</script><img src=x onerror="window.__xss=6"> <a href="javascript:window.__xss=7">x</a>`;

  test("script payloads in every field are shown as text on the page and in every e-mail", async ({ page }) => {
    const s = { ...supporter("xss"), ...payloads, city: "Seattle" };
    const cityPayload = payloads.city;
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });

    // The city must be a real one for the letters to be addressed, so its payload goes through
    // a no-JavaScript post of its own below (the server refuses nothing here: these are names).
    await page.goto(CAMPAIGN);
    await fillSignForm(page, s, message);
    await page.getByRole("button", { name: /Sign/ }).click();
    await expect(page.locator("article.letter")).toHaveCount(4);
    await expect(page.locator("article.letter").first()).toContainText(payloads.firstName);
    await expect(page.locator("article.letter").first()).toContainText("<script>window.__xss=5</script>");
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(violations, "the app's own scripts run under the CSP").toEqual([]);

    const [confirmation] = (await waitForMail((m) => m.some(mailTo(s.email)))).filter(mailTo(s.email));
    const assertEscaped = (html: string, where: string) => {
      expect(html, where).not.toContain("<script>window.__xss");
      expect(html, where).not.toMatch(/<img src=x onerror/i);
      expect(html, where).not.toMatch(/<svg onload/i);
      expect(html, where).not.toMatch(/href="javascript:/i);
    };
    assertEscaped(String(confirmation.parsed.html), "confirmation e-mail");
    expect(String(confirmation.parsed.html)).toContain("&lt;script&gt;window.__xss=1");

    await page.goto(confirmationLink(confirmation));
    await expect(page.getByRole("heading", { level: 1 })).toContainText(payloads.firstName);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    const letters = (
      await waitForMail((m) => m.filter((x) => x.parsed.replyTo?.text.includes(s.email)).length >= 4)
    ).filter((x) => x.parsed.replyTo?.text.includes(s.email));
    for (const letter of letters) {
      assertEscaped(String(letter.parsed.html), `letter to ${letter.envelopeTo}`);
      expect(String(letter.parsed.text)).toContain(payloads.lastName);
    }

    // The server-rendered page (no JavaScript) escapes the same values, the city's included.
    const res = await post(page.request, CAMPAIGN, { ...s, city: cityPayload, message, email: `x-${s.email}` });
    const html = await res.text();
    expect(html).not.toContain("<script>window.__xss");
    expect(html).not.toMatch(/<img src=x onerror/i);
    expect(html).toContain("&lt;/textarea&gt;&lt;script&gt;");

    // Organizers' pages show the campaign's activity without running anything from it.
    await page.goto("/admin/login");
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: /Sign in/ }).click();
    await expect(page).toHaveURL(/\/admin$/);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(violations).toEqual([]);
  });

  test("the Content-Security-Policy stops a script that carries no nonce", async ({ page }) => {
    await page.goto(CAMPAIGN);
    const ran = await page.evaluate(() => {
      const s = document.createElement("script");
      s.textContent = "window.__inline = 1";
      document.body.append(s);
      return (window as unknown as { __inline?: number }).__inline;
    });
    expect(ran).toBeUndefined();
  });
});

test.describe("the web's own defences", () => {
  test("every page says no framing, no sniffing, no referrer beyond this site, and scripts only with a nonce", async ({
    request,
  }) => {
    for (const path of ["/", CAMPAIGN, "/admin/login", "/confirm/unknown-token"]) {
      const res = await request.get(path);
      const h = res.headers();
      expect(h["content-security-policy"], path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
      expect(h["content-security-policy"], path).toContain("frame-ancestors 'none'");
      expect(h["x-frame-options"], path).toBe("DENY");
      expect(h["x-content-type-options"], path).toBe("nosniff");
      expect(h["referrer-policy"], path).toBe("same-origin");
      expect(h["strict-transport-security"], path).toMatch(/max-age=/); // NODE_ENV=production here
      const nonce = /'nonce-([^']+)'/.exec(h["content-security-policy"])?.[1];
      const scripts = [...(await res.text()).matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length, path).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
    }
  });

  test("a post from another site is refused with 403, on the sign form and the sign-in form", async ({ request }) => {
    for (const path of [CAMPAIGN, "/admin/login", "/admin/logout", "/confirm/whatever"]) {
      for (const headers of <Record<string, string>[]>[
        { Origin: "https://evil.example" },
        { Referer: "https://evil.example/x" },
        { Origin: "null" },
      ]) {
        const res = await post(request, path, validFields("csrf"), headers);
        expect(res.status(), `${path} ${JSON.stringify(headers)}`).toBe(403);
        expect(await res.text()).toContain("sent from another website");
      }
    }
  });

  test("the session cookie is HttpOnly and SameSite=Lax", async ({ request }) => {
    const res = await post(request, "/admin/login", { email: ADMIN.email, password: ADMIN.password });
    expect(res.status()).toBe(302);
    const cookie = res.headers()["set-cookie"];
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  test("oversized bodies, unknown content types and broken forms get a clear 4xx", async ({ request }) => {
    const big = await post(request, CAMPAIGN, { ...validFields("big"), message: "x".repeat(70_000) });
    expect(big.status()).toBe(413);
    expect(await big.text()).toMatch(/too large/);

    const json = await request.post(CAMPAIGN, {
      data: JSON.stringify(validFields("json")),
      headers: { "Content-Type": "application/json" },
    });
    expect(json.status()).toBe(415);
    expect(await json.text()).toContain("application/json");

    const broken = await request.post(CAMPAIGN, {
      data: '--other\r\nContent-Disposition: form-data; name="x"\r\n\r\n',
      headers: { "Content-Type": "multipart/form-data; boundary=expected" },
    });
    expect(broken.status()).toBe(400);
    const text = await broken.text();
    expect(text).toContain("not a well-formed form");
    expect(text).not.toMatch(/\bat [\w.]+ \(|node_modules|stack/);
  });
});

test.describe("abuse", () => {
  const signatureRows = async (email: string) => {
    const db = await openAppDb();
    try {
      return await db.rows<{ ipHash: string | null }>(`SELECT "ipHash" FROM "Signature" WHERE "email" = $1`, [email]);
    } finally {
      await db.close();
    }
  };

  test("a bot that fills in the hidden field is refused and nothing is stored", async ({ request }) => {
    const fields: Record<string, string> = { ...validFields("honeypot"), website: "http://cheap-pills.example" };
    const res = await post(request, CAMPAIGN, fields);
    expect(res.status()).toBe(400);
    expect(await res.text()).toContain("The form was not filled in as expected");
    expect(await signatureRows(fields.email)).toEqual([]);
  });

  test("a signature keeps only a keyed hash of the address it came from", async ({ request }) => {
    const ip = freshIp();
    const a = validFields("iphash-a");
    const b = validFields("iphash-b");
    expect((await post(request, CAMPAIGN, a, { "X-Forwarded-For": ip })).status()).toBe(200);
    expect((await post(request, CAMPAIGN, b, { "X-Forwarded-For": ip })).status()).toBe(200);
    const [rowA] = await signatureRows(a.email);
    const [rowB] = await signatureRows(b.email);
    expect(rowA.ipHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rowA.ipHash).not.toContain(ip);
    // One address, one hash: enough to see many signatures came from one place.
    expect(rowB.ipHash).toBe(rowA.ipHash);
  });
});

test.describe("rate limits", () => {
  test("one e-mail address can be posted only so often, and the answer says when to try again", async ({ request }) => {
    const fields = validFields("limit-email");
    const statuses: number[] = [];
    // Each from another address: the limit is on the e-mail, wherever it is posted from.
    for (let i = 0; i < 5; i++) statuses.push((await post(request, CAMPAIGN, fields)).status());
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const limited = await post(request, CAMPAIGN, fields);
    expect(limited.status()).toBe(429);
    expect(Number(limited.headers()["retry-after"])).toBeGreaterThan(0);
    expect(await limited.text()).toMatch(/Too many tries from here in a short time\. Please try again in \d+ minutes/);
  });

  test("one address can post the sign form only so often, junk included", async ({ request }) => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      statuses.push((await post(request, CAMPAIGN, { firstName: "" }, { "X-Forwarded-For": ip })).status());
    }
    expect(statuses.slice(0, 30).every((s) => s === 400)).toBe(true);
    expect(statuses[30]).toBe(429);
    // Another address is not held up.
    expect((await post(request, CAMPAIGN, { firstName: "" })).status()).toBe(400);
  });

  test("confirmation links cannot be guessed by trying: opening many from one address is stopped", async ({
    request,
  }) => {
    const ip = freshIp();
    for (let i = 0; i < 60; i++) {
      expect((await request.get(`/confirm/${randomUUID()}`, { headers: { "X-Forwarded-For": ip } })).status()).toBe(
        404,
      );
    }
    const limited = await request.get(`/confirm/${randomUUID()}`, { headers: { "X-Forwarded-For": ip } });
    expect(limited.status()).toBe(429);
    expect(limited.headers()["retry-after"]).toBeTruthy();
    expect(await limited.text()).toContain("Please wait a little");
  });

  test("a new link can be asked for only a few times per link", async ({ request }) => {
    const path = `/confirm/${randomUUID()}`;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(request, path, { intent: "resend" })).status());
    expect(statuses[3]).toBe(429);
    expect(statuses.slice(0, 3)).not.toContain(429);
  });

  test("sign-in is throttled after consecutive failures for one account, and a success clears them", async ({
    playwright,
    baseURL,
  }) => {
    const ip = freshIp();
    // Each attempt from a browser without a session (a signed-in one is sent on to /admin).
    const attempt = async (email: string, password: string) => {
      const fresh = await playwright.request.newContext({ baseURL });
      try {
        const res = await post(fresh, "/admin/login", { email, password }, { "X-Forwarded-For": ip });
        return { status: () => res.status(), headers: res.headers(), text: await res.text() };
      } finally {
        await fresh.dispose();
      }
    };

    // The owner mistypes nine times, then gets it right: the count starts again.
    for (let i = 0; i < 9; i++) expect((await attempt(ADMIN.email, `wrong ${i}`)).status()).toBe(400);
    expect((await attempt(ADMIN.email, ADMIN.password)).status()).toBe(302);
    for (let i = 0; i < 9; i++) expect((await attempt(ADMIN.email, `wrong again ${i}`)).status()).toBe(400);
    expect((await attempt(ADMIN.email, ADMIN.password)).status()).toBe(302);

    // Someone guessing at another account is stopped after ten failures, even with the right password.
    const target = `guess-${randomUUID()}@example.org`;
    for (let i = 0; i < 10; i++) expect((await attempt(target, `guess ${i}`)).status()).toBe(400);
    const limited = await attempt(target, "guess 11");
    expect(limited.status()).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(limited.text).toMatch(/Too many tries from here/);
  });
});
