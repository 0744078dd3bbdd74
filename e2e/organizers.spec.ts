// Organizers' journeys in the browser: an owner invites an organizer and a viewer; the
// organizer exports a filtered CSV and opens a hand-delivery packet; the viewer sees the
// dashboards and nothing else. Every page passes axe.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import {
  ADMIN,
  CAMPAIGN,
  confirmationLink,
  fillSignForm,
  mailTo,
  signIn,
  signOut,
  supporter,
  waitForMail,
} from "./helpers";

const SLUG = CAMPAIGN.split("/").pop()!;

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`)).toEqual([]);
}

/** The owner invites someone; returns the link shown to the owner (also e-mailed). */
async function invite(page: Page, email: string, role: "organizer" | "viewer") {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole("link", { name: "Team" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Team");
  await expectAccessible(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption(role);
  await page.getByRole("button", { name: "Send invitation" }).click();
  const link = (await page.getByTestId("invite-link").textContent())!.trim();
  const [mail] = (await waitForMail((m) => m.some(mailTo(email)))).filter(mailTo(email));
  expect(String(mail.parsed.text)).toContain(link);
  await signOut(page);
  return link;
}

async function acceptInvite(page: Page, link: string, password: string) {
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Join the organizers");
  await expectAccessible(page);
  await page.getByLabel("Your name").fill("Grace Hopper");
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page.getByRole("alert")).toContainText("at least 12 characters");
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Password again").fill(password);
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dashboard");
}

async function signAndConfirm(page: Page, tag: string, message?: string) {
  const s = supporter(tag);
  await page.goto(CAMPAIGN);
  await fillSignForm(page, s, message);
  await page.getByRole("button", { name: /Sign/ }).click();
  await expect(page.getByRole("heading", { name: /check your e-mail/i })).toBeVisible();
  const [mail] = (await waitForMail((m) => m.some(mailTo(s.email)))).filter(mailTo(s.email));
  await page.goto(confirmationLink(mail));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/confirmed/i);
  return { supporter: s, confirmation: mail };
}

test("an invited organizer exports a filtered CSV and opens an office's hand-delivery packet", async ({ page }) => {
  const { supporter: s } = await signAndConfirm(page, "export", '=HYPERLINK("http://evil.example")');
  const email = `organizer-${Date.now()}@example.org`;
  const link = await invite(page, email, "organizer");
  await acceptInvite(page, link, "organizer passphrase 1");

  // The used link says so.
  await page.goto(link);
  await expect(page.getByRole("alert")).toContainText("already been used");

  // The dashboard and the campaign's own page show the supporter.
  await page.goto("/admin");
  await expectAccessible(page);
  await page
    .getByRole("link", { name: /landmines/i })
    .first()
    .click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/landmines/i);
  await expect(page.getByRole("img", { name: /Signatures per day/ })).toBeVisible();
  expect(Number((await page.getByTestId("state-WA").textContent())!.replace(/\D/g, ""))).toBeGreaterThan(0);
  await expectAccessible(page);

  // Export: the filter form refuses a range that ends before it starts…
  await page.getByRole("link", { name: "Export signatures" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Exports");
  await expectAccessible(page);
  await page.getByLabel("Status").selectOption("confirmed");
  await page.getByLabel("State").selectOption("WA");
  await page.getByLabel("Signed from").fill("2026-05-02");
  await page.getByLabel("Signed until").fill("2026-05-01");
  await page.getByRole("button", { name: "Download CSV" }).click();
  await expect(page.getByRole("alert")).toContainText("on or after the start date");

  // …and downloads a dated CSV with a BOM, the supporter's row, and the formula neutralised.
  const today = new Date().toISOString().slice(0, 10);
  await page.getByLabel("Signed from").fill("");
  await page.getByLabel("Signed until").fill(today);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`signatures-${SLUG}-${today}.csv`);
  const csv = readFileSync((await download.path())!);
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = csv.toString("utf8").slice(1).split("\r\n");
  expect(lines[0]).toMatch(/^signed_at,confirmed_at,status,/);
  const row = lines.find((l) => l.includes(s.email));
  expect(row).toBeDefined();
  expect(row).toContain(`'=HYPERLINK(`);
  expect(lines.filter((l) => l && !l.startsWith("signed_at")).every((l) => l.includes(",confirmed,"))).toBe(true);

  // The hand-delivery packet for the supporter's representative lists them and their letter.
  await page.goto(`/admin/campaigns/${SLUG}`);
  await page.getByRole("link", { name: /Packet for Representative Pramila Jayapal/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Letters to Representative Pramila Jayapal/);
  await expect(page.getByRole("cell", { name: `${s.lastName}, ${s.firstName}` })).toBeVisible();
  await expect(
    page.locator("article.letter").filter({ hasText: "Dear Representative Jayapal," }).first(),
  ).toBeVisible();
  await expectAccessible(page);
  const pdf = await page.request.get(page.url() + "/pdf");
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

  // An organizer cannot read the audit log; the owner can, and sees the export.
  expect((await page.request.get("/admin/audit")).status()).toBe(403);
  await signOut(page);
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole("link", { name: "Audit log" }).click();
  const exportRow = page.getByRole("row").filter({ hasText: email }).filter({ hasText: "export.signatures" });
  await expect(exportRow.first()).toContainText("status: confirmed");
  await expect(exportRow.first()).toContainText("state: WA");
  await expectAccessible(page);
});

test("a viewer sees the dashboards and nothing to export or change", async ({ page }) => {
  const email = `viewer-${Date.now()}@example.org`;
  const link = await invite(page, email, "viewer");
  await acceptInvite(page, link, "viewer passphrase 12");

  await expect(page.getByRole("link", { name: "Exports" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Export signatures" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Team" })).toHaveCount(0);
  await page
    .getByRole("link", { name: /landmines/i })
    .first()
    .click();
  await expect(page.getByRole("heading", { name: "Letters per office" })).toBeVisible();
  await expect(page.getByRole("link", { name: /Packet/ })).toHaveCount(0);

  for (const path of [
    "/admin/exports",
    `/admin/exports/signatures.csv?campaign=${SLUG}`,
    `/admin/campaigns/${SLUG}/areas.csv`,
    `/admin/campaigns/${SLUG}/packet/WH`,
    `/admin/campaigns/${SLUG}/packet/WH/pdf`,
    "/admin/team",
    "/admin/audit",
    "/admin/outbox",
  ]) {
    const response = await page.request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(403);
  }
  const post = await page.request.post("/admin/team", {
    form: { intent: "invite", email: "x@example.org", role: "owner" },
  });
  expect(post.status()).toBe(403);

  // The new account signs in again with its own password.
  await signOut(page);
  await signIn(page, email, "viewer passphrase 12");
  await expect(page.getByText(`${email} (viewer)`)).toBeVisible();
});

test("a supporter unsubscribes without logging in, and can have their data deleted", async ({ page }) => {
  const { supporter: s, confirmation } = await signAndConfirm(page, "privacy");
  const unsubscribe = String(confirmation.parsed.html).match(/href="([^"]*\/unsubscribe\/[^"]+)"/)![1];
  await page.goto(unsubscribe.replace(/&amp;/g, "&"));
  await expectAccessible(page);
  await page.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(page.getByRole("status")).toContainText("will not e-mail you again");

  // Delete my data: from the footer link, the same answer for any address.
  await page.goto(CAMPAIGN);
  await page.getByRole("link", { name: "Privacy and deleting your data" }).click();
  await expectAccessible(page);
  // An address that never signed gets the same answer, so the form tells nobody who signed.
  const stranger = `stranger-${Date.now()}@example.org`;
  await page.getByLabel("Email").fill(stranger);
  await page.getByRole("button", { name: "Send me the deletion link" }).click();
  await expect(page.getByRole("status")).toContainText(stranger);
  const strangerAnswer = (await page.getByRole("status").textContent())!;
  await page.getByLabel("Email").fill(s.email);
  await page.getByRole("button", { name: "Send me the deletion link" }).click();
  await expect(page.getByRole("status")).toContainText(`If ${s.email} has signed`);
  expect((await page.getByRole("status").textContent())!.replace(s.email, "X")).toBe(
    strangerAnswer.replace(stranger, "X"),
  );
  const mail = (await waitForMail((m) => m.some((x) => mailTo(s.email)(x) && /delete/i.test(String(x.parsed.subject)))))
    .filter(mailTo(s.email))
    .find((x) => /delete/i.test(String(x.parsed.subject)))!;
  const eraseLink = String(mail.parsed.html).match(/href="([^"]*\/privacy\/erase\/[^"]+)"/)![1];
  await page.goto(eraseLink);
  await page.getByRole("button", { name: "Delete my data" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your data is deleted");

  // The organizers' export no longer has them.
  await signIn(page, ADMIN.email, ADMIN.password);
  const csv = await page.request.get(`/admin/exports/signatures.csv?campaign=${SLUG}`);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).not.toContain(s.email);
  await page.goto(eraseLink);
  await expect(page.getByRole("alert")).toContainText("already been used");
});
