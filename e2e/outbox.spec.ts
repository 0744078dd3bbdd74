// With no SMTP server configured (the fresh-install default), e-mails become .eml files in
// the outbox folder, which organizers browse in the admin area.
import { expect, test } from "@playwright/test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ADMIN, CAMPAIGN, fillSignForm, supporter } from "./helpers";
import { startOwnServer, type OwnServer } from "./own-server";

let app: OwnServer;

test.beforeAll(async () => {
  app = await startOwnServer({
    name: "outbox",
    port: Number(process.env.E2E_OUTBOX_PORT ?? 3124),
    env: (dir) => ({
      SMTP_URL: "",
      OUTBOX_DIR: join(dir, "outbox"),
      WORKER_POLL_MS: "200",
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    }),
  });
});

test.afterAll(async () => {
  await app.stop();
});

/** The .eml files in the outbox folder so far (none while the folder does not exist yet). */
function emlCount(): number {
  const outbox = join(app.dir, "outbox");
  return existsSync(outbox) ? readdirSync(outbox).filter((f) => f.endsWith(".eml")).length : 0;
}

test("without SMTP_URL, the confirmation and the letters land in the outbox, which organizers can read", async ({
  page,
}) => {
  const { base } = app;
  const s = supporter("outbox");
  await page.goto(base + CAMPAIGN);
  await fillSignForm(page, s);
  await page.getByRole("button", { name: /Sign/ }).click();
  await expect(page.locator("article.letter")).toHaveCount(4);
  // The confirmation is queued with the signature and written by the worker a moment later (the
  // outbox folder itself is created with the first file).
  await expect.poll(() => emlCount(), { timeout: 10_000 }).toBe(1);

  await page.goto(`${base}/admin/outbox`);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Outbox");
  await page.getByRole("link", { name: /Confirm your signature/ }).click();
  const link = (await page.locator(".letter-body").textContent())?.match(
    /http:\/\/127\.0\.0\.1:\d+\/confirm\/\S+/,
  )?.[0];
  expect(link).toBeTruthy();

  await page.goto(link!);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/confirmed/i);

  await expect.poll(() => emlCount(), { timeout: 20_000 }).toBe(5);
  await page.goto(`${base}/admin/outbox`);
  // No TEST_INBOX here: test-mode letters go to the first organizer, ADMIN_EMAIL.
  await expect(page.getByRole("row").filter({ hasText: ADMIN.email })).toHaveCount(4);
});
