import { expect, test } from "@playwright/test";
import { ADMIN } from "./helpers";

// Every page of the organizers' area, as a visitor without a session would reach it.
const ADMIN_PAGES = ["/admin", "/admin/outbox", "/admin/outbox/anything.eml"];

test("every organizers' page sends a visitor without a session to the sign-in form", async ({ page }) => {
  for (const path of ADMIN_PAGES) {
    await page.goto(path);
    await expect(page, path).toHaveURL(/\/admin\/login\?redirectTo=/);
    await expect(page.getByLabel("Email")).toBeVisible();
    await expect(page.getByLabel("Password")).toBeVisible();
  }
});

test("an organizer signs in with ADMIN_EMAIL and ADMIN_PASSWORD, sees the dashboard, and signs out", async ({
  page,
}) => {
  await page.goto("/admin");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("do not match");

  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dashboard");
  await expect(page.getByRole("heading", { name: /landmines/i })).toBeVisible();
  await expect(page.getByText("test mode")).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/admin\/login/);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin\/login/);
});
