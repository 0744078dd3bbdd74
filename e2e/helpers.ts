import { expect, type Page } from "@playwright/test";
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
