import { expect, test, type Browser, type Page } from "@playwright/test";
import { readMailbox, type CapturedMail } from "./mail-sink";

export const CAMPAIGN = "/c/ban-landmines-and-cluster-munitions";

/** Where the seeded campaign's test-mode letters go in the main suite (TEST_INBOX). */
export const TEST_INBOX = "test-inbox@sincerely.test";

/** The first organizer, created from ADMIN_EMAIL / ADMIN_PASSWORD at start-up. */
export const ADMIN = { email: "owner@sincerely.test", password: "a long and unguessable passphrase" };

/** Polls the SMTP server's mailbox until `predicate` holds for the mail received so far. */
export async function waitForMail(
  predicate: (mail: CapturedMail[]) => boolean,
  { timeoutMs = 30_000 } = {},
): Promise<CapturedMail[]> {
  const dir = process.env.E2E_MAIL_DIR;
  if (!dir) throw new Error("E2E_MAIL_DIR is not set (global setup did not run)");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = await readMailbox(dir);
    if (predicate(mail)) return mail;
    if (Date.now() > deadline) {
      throw new Error(
        `Mail did not arrive in ${timeoutMs} ms. Received:\n${mail
          .map((m) => `${m.envelopeTo}: ${m.parsed.subject}`)
          .join("\n")}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export const mailTo = (address: string) => (m: CapturedMail) => m.envelopeTo.split(",").includes(address);

/** A unique supporter per test, so tests never see each other's mail. */
export function supporter(tag: string) {
  const id = `${tag}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  return {
    firstName: "Ada",
    lastName: `Tester ${tag}`,
    email: `${id}@example.org`,
    street: "1200 N 45th St",
    city: "Seattle",
    state: "WA",
    zip: "98103",
  };
}

export async function fillSignForm(page: Page, s: ReturnType<typeof supporter>, message?: string) {
  await page.getByLabel("First name").fill(s.firstName);
  await page.getByLabel("Last name").fill(s.lastName);
  await page.getByLabel("Email").fill(s.email);
  await page.getByLabel("Street address").fill(s.street);
  await page.getByLabel("City").fill(s.city);
  await page.getByLabel("State").selectOption(s.state);
  await page.getByLabel("ZIP").fill(s.zip);
  if (message !== undefined) await page.getByLabel("message").fill(message);
}

/** The links in an e-mail's HTML part. */
export function mailLinks(mail: CapturedMail): string[] {
  const links = [...String(mail.parsed.html || "").matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, "&"));
  return [...new Set(links)];
}

/** The one link in a confirmation e-mail that confirms (the other one unsubscribes). */
export function confirmationLink(mail: CapturedMail): string {
  const confirming = mailLinks(mail).filter((l) => !l.includes("/unsubscribe/"));
  expect(confirming, "the confirmation e-mail holds exactly one confirmation link").toHaveLength(1);
  return confirming[0];
}

/**
 * Signs out and waits until the sign-out has landed: a navigation started before it does (the next
 * sign-in, say) would still carry the old session and be sent on to the dashboard.
 */
export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/admin\/login/);
}

/** Signs in at /admin/login and lands on the dashboard. */
export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/admin/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dashboard");
}

/**
 * A new account with the given role, made the way people get one: the owner invites from the Team
 * page, the invitee opens the link and chooses a password. Leaves `page` signed in as the new account.
 */
export async function joinAs(page: Page, role: "organizer" | "viewer") {
  const account = { email: `${role}-${Date.now()}@example.org`, password: `${role} passphrase for the journeys` };
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/admin/team");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Role", { exact: true }).selectOption(role);
  await page.getByRole("button", { name: "Send invitation" }).click();
  const link = (await page.getByTestId("invite-link").textContent())!.trim();
  await signOut(page);
  await page.goto(link);
  await page.getByLabel("Your name").fill(`A new ${role}`);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByLabel("Password again").fill(account.password);
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dashboard");
  await expect(page.getByText(`${account.email} (${role})`)).toBeVisible();
  return account;
}

/**
 * Returns once the worker has had its chance at everything queued so far: another supporter signs
 * and confirms, in a browser of their own (and from an address of their own, so that the suite's
 * posts per address stay as they were), and their four letters arrive. The queue sends the oldest
 * due letters first, so by then any letter that was due before theirs has been sent too; what has
 * not arrived was not going to.
 */
export async function workerHadItsChance(browser: Browser) {
  const later = supporter("later");
  const ip = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
  const context = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
    extraHTTPHeaders: { "X-Forwarded-For": ip },
  });
  const other = await context.newPage();
  try {
    await other.goto(CAMPAIGN);
    await fillSignForm(other, later);
    await other.getByRole("button", { name: /Sign/ }).click();
    await expect(other.locator("article.letter")).toHaveCount(4);
    const [confirmation] = (await waitForMail((m) => m.some(mailTo(later.email)))).filter(mailTo(later.email));
    await other.goto(confirmationLink(confirmation));
    await expect(other.getByRole("heading", { level: 1 })).toContainText(/confirmed/i);
    await waitForMail((m) => m.filter((x) => x.parsed.replyTo?.text.includes(later.email)).length === 4);
  } finally {
    await context.close();
  }
}
