// The organizers' workspace, end to end: an owner creates a campaign, previews its letters,
// takes it live; an organizer moderates own words and re-drives a failed letter. Real app,
// real SMTP server, Chromium.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import {
  ADMIN,
  CAMPAIGN,
  confirmationLink,
  fillSignForm,
  joinAs,
  mailTo,
  signIn,
  supporter,
  TEST_INBOX,
  waitForMail,
} from "./helpers";

/** The owner's journeys sign in with the first account (ADMIN_EMAIL). */
const signInAsOwner = (page: Page) => signIn(page, ADMIN.email, ADMIN.password);

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`)).toEqual([]);
}

/** Signs the campaign at `path` and follows the confirmation link; returns the supporter. */
async function signAndConfirm(page: Page, path: string, tag: string, ownWords: string) {
  const s = supporter(tag);
  await page.goto(path);
  await fillSignForm(page, s, ownWords);
  await page.getByRole("button", { name: /Sign/ }).click();
  await expect(page.getByRole("heading", { name: /check your e-mail/i })).toBeVisible();
  const [confirmation] = (await waitForMail((m) => m.some(mailTo(s.email)))).filter(mailTo(s.email));
  await page.goto(confirmationLink(confirmation));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/confirmed/i);
  return s;
}

const lettersFrom = (email: string, to: string) =>
  waitForMail(() => true).then((mail) => mail.filter((m) => mailTo(to)(m) && m.parsed.replyTo?.text.includes(email)));

test("an owner creates a campaign, previews its letters for a ZIP, takes it live, and the public can sign", async ({
  page,
}) => {
  const slug = `e2e-campaign-${Date.now()}`;
  await signInAsOwner(page);
  await page.getByRole("link", { name: "Campaigns", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Campaigns");
  await page.getByRole("link", { name: "New campaign" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("New campaign");

  // Bad input is named beside the field and in a focused summary.
  await page.getByLabel("Address (the page is /c/address)").fill("Not A Slug");
  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(page.getByRole("alert")).toContainText("Title is required");
  await expect(page.getByRole("alert")).toBeFocused();
  await expect(page.locator("#cf-slug-error")).toContainText("lower-case letters");

  await page.getByLabel("Title").fill("Stop cluster munitions transfers");
  await page.getByLabel("Address (the page is /c/address)").fill(slug);
  await page.getByLabel("Test inbox", { exact: true }).fill(TEST_INBOX);
  await page.getByLabel("Subjects for the White House").fill("From {city}: stop cluster munition transfers");

  // The live preview follows the unsaved text.
  await page.getByLabel("ZIP code to preview").fill("98103");
  const preview = page.locator("section.preview article.letter");
  await expect(preview).toHaveCount(4);
  await expect(preview.filter({ hasText: "Dear Representative Jayapal," })).toHaveCount(1);
  await expect(preview.first()).toContainText("From Springfield: stop cluster munition transfers");
  await page.getByLabel("Subjects for the White House").fill("Unsaved wording from {state}");
  await expect(preview.first()).toContainText("Unsaved wording from Washington");
  await expectAccessible(page);

  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(page.getByRole("status")).toContainText("Saved.");
  await expect(page.getByRole("heading", { name: "Status: draft" })).toBeVisible();

  // A draft is not public.
  const draft = await page.request.get(`/c/${slug}`);
  expect(draft.status()).toBe(404);

  await page.getByRole("button", { name: "Go live" }).click();
  await expect(page.getByRole("status")).toContainText("The campaign is now live.");
  await page.goto("/admin/campaigns");
  await expect(page.getByTestId(`campaign-row-${slug}`)).toContainText("Live");
  await expectAccessible(page);

  await page.goto(`/c/${slug}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Stop cluster munitions transfers");
  await expect(page.getByLabel("First name")).toBeVisible();

  // Closed: the page keeps the count and takes no more signatures.
  await page.goto(`/admin/campaigns/${slug}/edit`);
  await page.getByRole("button", { name: "Close the campaign" }).click();
  await expect(page.getByRole("status")).toContainText("The campaign is now closed.");
  await page.goto(`/c/${slug}`);
  await expect(page.getByRole("status")).toContainText("This campaign has closed. 0 supporters sent their letters.");
  await expect(page.getByLabel("First name")).toHaveCount(0);
});

test("without JavaScript the Preview button renders the letters from the unsaved form", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAsOwner(page);
  await page.goto("/admin/campaigns/new");
  await page.getByLabel("Title").fill("No-JS campaign");
  await page.getByLabel("Address (the page is /c/address)").fill(`nojs-${Date.now()}`);
  await page.getByLabel("Subjects for senators").fill("A no-JS subject from {city}");
  await page.getByLabel("ZIP code to preview").fill("98103");
  await page.getByRole("button", { name: "Preview letters" }).click();
  const letters = page.locator("section.preview article.letter");
  await expect(letters).toHaveCount(4);
  await expect(letters.filter({ hasText: "Dear Senator Murray," })).toContainText("A no-JS subject from Springfield");
  // The unsaved edits are still in the form.
  await expect(page.getByLabel("Subjects for senators")).toHaveValue("A no-JS subject from {city}");
  await context.close();
});

test("an organizer rejects abusive words (their letters never go) and approves others (theirs go)", async ({
  page,
}) => {
  const rude = await signAndConfirm(page, CAMPAIGN, "rude", "You are a fucking coward. Read http://spam.example.com");
  const loud = await signAndConfirm(page, CAMPAIGN, "loud", "BAN THESE WEAPONS NOW, I AM VERY ANGRY ABOUT IT");

  // An organizer, not the owner: invited, joined, and allowed to moderate.
  await joinAs(page, "organizer");
  await page.getByRole("link", { name: "Moderation" }).click();
  const rudeItem = page.getByTestId("moderation-item").filter({ hasText: rude.lastName });
  await expect(rudeItem).toContainText("Abusive language (fucking)");
  await expect(rudeItem.locator("mark")).toHaveText(["fucking", "http://spam.example.com"]);
  await expectAccessible(page);

  await rudeItem.getByRole("button", { name: /^Reject/ }).click();
  await expect(page.getByRole("status")).toContainText("Rejected. 4 letters were cancelled");
  const loudItem = page.getByTestId("moderation-item").filter({ hasText: loud.lastName });
  await loudItem.getByRole("button", { name: /^Approve/ }).click();
  await expect(page.getByRole("status")).toContainText("Approved.");

  // The approved supporter's letters arrive; by then the rejected one's have not, and never will.
  await waitForMail(
    (m) => m.filter((x) => mailTo(TEST_INBOX)(x) && x.parsed.replyTo?.text.includes(loud.email)).length >= 4,
  );
  expect(await lettersFrom(rude.email, TEST_INBOX)).toHaveLength(0);
  await page.goto(`/admin/deliveries?status=cancelled&office=`);
  await expect(page.getByTestId("delivery-row").filter({ hasText: rude.lastName })).toHaveCount(4);
  await expect(page.getByTestId("delivery-row").filter({ hasText: rude.lastName }).first()).toContainText(
    "rejected the supporter's own words",
  );
});

test("an organizer sees a failed letter's reason and attempts, mends the inbox and retries it", async ({ page }) => {
  const slug = `e2e-retry-${Date.now()}`;
  const badInbox = `refuse-${Date.now()}@sincerely.test`;
  await joinAs(page, "organizer");
  await page.goto("/admin/campaigns/new");
  await page.getByLabel("Title").fill("Retry campaign");
  await page.getByLabel("Address (the page is /c/address)").fill(slug);
  await page.getByLabel("Test inbox", { exact: true }).fill(badInbox);
  await page.getByRole("button", { name: "Create draft" }).click();
  await page.getByRole("button", { name: "Go live" }).click();
  await expect(page.getByRole("status")).toContainText("now live");

  const s = await signAndConfirm(page, `/c/${slug}`, "retry", "Please act.");

  // The SMTP server refuses the inbox for good: the letters fail with the server's reason.
  await page.goto(`/admin/deliveries?campaign=${slug}&status=failed`);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("delivery-row")).toHaveCount(4);
  }).toPass({ timeout: 30_000 });
  const first = page.getByTestId("delivery-row").first();
  await expect(first).toContainText("No such mailbox");
  await first.getByText("1 attempt").click();
  await expect(first).toContainText(`to ${badInbox}: permanent`);
  await expectAccessible(page);

  // Mend the inbox, retry one letter: it arrives; then the rest.
  await page.goto(`/admin/campaigns/${slug}/edit`);
  await page.getByLabel("Test inbox", { exact: true }).fill(TEST_INBOX);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status")).toContainText("Saved.");
  await page.goto(`/admin/deliveries?campaign=${slug}&status=failed`);
  await page.getByTestId("delivery-row").first().getByRole("button", { name: "Retry" }).click();
  await expect(page.getByRole("status")).toContainText("back in the queue");
  await waitForMail(
    (m) => m.filter((x) => mailTo(TEST_INBOX)(x) && x.parsed.replyTo?.text.includes(s.email)).length >= 1,
  );

  await page.getByRole("button", { name: /^Retry all failed of Retry campaign/ }).click();
  await expect(page.getByRole("status")).toContainText("3 failed letters back in the queue.");
  const delivered = await waitForMail(
    (m) => m.filter((x) => mailTo(TEST_INBOX)(x) && x.parsed.replyTo?.text.includes(s.email)).length >= 4,
  );
  expect(delivered.filter((x) => mailTo(TEST_INBOX)(x) && x.parsed.replyTo?.text.includes(s.email))).toHaveLength(4);
});

test("an organizer filters offices, sets an address, and imports addresses from CSV all or nothing", async ({
  page,
}) => {
  await joinAs(page, "organizer");
  await page.goto("/admin/offices");
  await page.getByLabel("Chamber").selectOption("senate");
  await page.getByLabel("State").selectOption("WA");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("2 offices.")).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel("E-mail address of Senator Maria Cantwell").fill("letters@cantwell.example");
  await page.getByTestId("office-C000127").getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toContainText(
    "Senator Maria Cantwell: letters go to letters@cantwell.example",
  );

  await page
    .getByLabel("Or paste the CSV")
    .fill("bioguide_id,email\nM001111,staff@murray.example\nX000000,x@y.example");
  await page.getByRole("button", { name: "Import addresses" }).click();
  await expect(page.getByRole("alert")).toContainText("Nothing was imported");
  await expect(page.getByRole("alert")).toContainText("Line 3: no office has the key X000000.");
  await expect(page.getByLabel("E-mail address of Senator Patty Murray")).toHaveValue("");

  await page.getByLabel("CSV file").setInputFiles({
    name: "addresses.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("bioguide_id,email\r\nM001111,staff@murray.example\r\n"),
  });
  await page.getByRole("button", { name: "Import addresses" }).click();
  await expect(page.getByRole("status")).toContainText("Imported 1 row: 1 address changed");
  await expect(page.getByLabel("E-mail address of Senator Patty Murray")).toHaveValue("staff@murray.example");

  await page.getByRole("button", { name: "Add the office" }).click();
  await expect(page.locator("#new-title-error")).toContainText("Title is required");
  await page.getByLabel("Title (as in “Dear Secretary …”)").fill("Secretary");
  await page.getByLabel("Full name (person or office)").fill("Secretary of State");
  await page.getByLabel("Name after the title in the salutation").fill("of State");
  await page.getByRole("button", { name: "Add the office" }).click();
  await expect(page.getByRole("status")).toContainText("Added Secretary of State");
});
