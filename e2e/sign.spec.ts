import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import {
  CAMPAIGN,
  confirmationLink,
  fillSignForm,
  mailTo,
  supporter,
  TEST_INBOX,
  waitForMail,
  workerHadItsChance,
} from "./helpers";

/** The letters sent on behalf of the supporter with this e-mail address, received so far. */
const lettersOf = async (email: string) =>
  (await waitForMail(() => true)).filter((m) => m.parsed.replyTo?.text.includes(email));

test("a supporter signs with JavaScript on, confirms, and four letters reach the SMTP server", async ({
  page,
  browser,
}) => {
  const s = supporter("js");
  const ownWords = "My grandfather cleared mines in Laos; please end this for good.";
  await page.goto(CAMPAIGN);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/landmines/i);

  await fillSignForm(page, s, ownWords);
  const campaignLoads: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "GET" && new URL(r.url()).pathname === `${CAMPAIGN}.data`) campaignLoads.push(r.url());
  });
  await page.getByRole("button", { name: /Sign/ }).click();

  // The page shows exactly the letters that will go, one per office, correctly addressed.
  await expect(page.getByRole("heading", { name: /check your e-mail/i })).toBeVisible();
  // The sign post's answer is the whole page: the campaign is not loaded a second time.
  expect(campaignLoads).toEqual([]);
  const letters = page.locator("article.letter");
  await expect(letters).toHaveCount(4);
  await expect(letters.filter({ hasText: "Dear Mr. President," })).toHaveCount(1);
  await expect(letters.filter({ hasText: "Dear Senator Cantwell," })).toHaveCount(1);
  await expect(letters.filter({ hasText: "Dear Senator Murray," })).toHaveCount(1);
  await expect(letters.filter({ hasText: "Dear Representative Jayapal," })).toHaveCount(1);
  await expect(letters.first()).toContainText(ownWords);

  // Nothing goes to an office before the supporter confirms: once the worker has sent letters
  // queued after this signature, none of this supporter's has gone.
  const [confirmation] = (await waitForMail((m) => m.some(mailTo(s.email)))).filter(mailTo(s.email));
  await workerHadItsChance(browser);
  expect(await lettersOf(s.email)).toHaveLength(0);

  // The count (read now: the other supporter's confirmation moved it too) moves by one when this
  // supporter confirms, not before.
  await page.goto(CAMPAIGN);
  const before = Number((await page.getByTestId("signature-count").textContent())?.replace(/\D/g, ""));
  await page.goto(confirmationLink(confirmation));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/confirmed/i);

  const mail = await waitForMail(
    (m) => m.filter((x) => mailTo(TEST_INBOX)(x) && x.parsed.replyTo?.text.includes(s.email)).length >= 4,
  );
  const delivered = mail.filter((x) => mailTo(TEST_INBOX)(x) && x.parsed.replyTo?.text.includes(s.email));
  expect(delivered).toHaveLength(4);
  const salutations = delivered.map((m) => String(m.parsed.text).split("\n")[0].trim()).sort();
  expect(salutations).toEqual(
    ["Dear Mr. President,", "Dear Representative Jayapal,", "Dear Senator Cantwell,", "Dear Senator Murray,"].sort(),
  );
  for (const letter of delivered) {
    expect(letter.parsed.messageId).toMatch(/^<delivery\.[^@]+@sincerely\.test>$/);
    expect(letter.parsed.from?.text).toContain("letters@sincerely.test");
    expect(letter.parsed.text).toContain(ownWords);
    expect(letter.parsed.text).toContain("Seattle");
    expect(letter.parsed.html).toBeTruthy();
  }

  // The count moved.
  await page.goto(CAMPAIGN);
  const after = Number((await page.getByTestId("signature-count").textContent())?.replace(/\D/g, ""));
  expect(after).toBe(before + 1);

  // The link is single-use.
  await page.goto(confirmationLink(confirmation));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/already been used/i);
});

test.describe("with JavaScript off", () => {
  test.use({ javaScriptEnabled: false });

  test("the form reports errors next to fields and in a summary, and signing works", async ({ page }) => {
    await page.goto(CAMPAIGN);
    await page.getByRole("button", { name: /Sign/ }).click();
    const summary = page.locator(".error-summary");
    await expect(summary).toBeVisible();
    await expect(summary).toContainText("First name: First name is required");
    await expect(page.locator("#sign-email-error")).toContainText("Email is required");
    await expect(page.locator("#sign-zip-error")).toContainText("ZIP code is required");

    const s = supporter("nojs");
    await fillSignForm(page, s);
    await page.getByRole("button", { name: /Sign/ }).click();
    await expect(page.getByRole("heading", { name: /check your e-mail/i })).toBeVisible();
    await expect(page.locator("article.letter")).toHaveCount(4);
    const [confirmation] = (await waitForMail((m) => m.some(mailTo(s.email)))).filter(mailTo(s.email));

    await page.goto(confirmationLink(confirmation));
    await expect(page.getByRole("heading", { level: 1 })).toContainText(/confirmed/i);
    const delivered = (
      await waitForMail((m) => m.filter((x) => x.parsed.replyTo?.text.includes(s.email)).length >= 4)
    ).filter((x) => x.parsed.replyTo?.text.includes(s.email));
    expect(delivered.map((m) => String(m.parsed.text).split("\n")[0].trim()).sort()).toEqual(
      ["Dear Mr. President,", "Dear Representative Jayapal,", "Dear Senator Cantwell,", "Dear Senator Murray,"].sort(),
    );
  });

  test("a ZIP in several districts asks which representative, and never guesses", async ({ page }) => {
    const s = { ...supporter("split"), zip: "98101", street: "1301 2nd Ave" };
    await page.goto(CAMPAIGN);
    await fillSignForm(page, s);
    await page.getByRole("button", { name: /Sign/ }).click();
    const choice = page.getByRole("group", { name: /more than one congressional district/i });
    await expect(choice).toBeVisible();
    await expect(choice).toContainText("Jayapal");
    await choice.getByLabel(/Jayapal/).check();
    await page.getByRole("button", { name: /Sign/ }).click();
    await expect(page.locator("article.letter")).toHaveCount(4);
    await expect(page.locator("article.letter").filter({ hasText: "Dear Representative Jayapal," })).toHaveCount(1);
  });

  test("an unknown ZIP and a ZIP from another state get clear field errors", async ({ page }) => {
    await page.goto(CAMPAIGN);
    await fillSignForm(page, { ...supporter("badzip"), zip: "00000" });
    await page.getByRole("button", { name: /Sign/ }).click();
    await expect(page.locator("#sign-zip-error")).toContainText("00000");

    await fillSignForm(page, { ...supporter("wrongstate"), state: "OR" });
    await page.getByRole("button", { name: /Sign/ }).click();
    await expect(page.locator("#sign-zip-error")).toContainText(/Washington/);
  });
});

test("with JavaScript on, the browser checks the form before posting", async ({ page }) => {
  await page.goto(CAMPAIGN);
  await page.getByLabel("Email").fill("not-an-email");
  let posted = false;
  page.on("request", (r) => {
    if (r.method() === "POST") posted = true;
  });
  await page.getByRole("button", { name: /Sign/ }).click();
  await expect(page.locator("#sign-email-error")).toContainText("Enter an email address");
  expect(posted).toBe(false);
});

test("signing twice with one address answers the same, stores nothing new, and e-mails only its owner", async ({
  page,
  browser,
}) => {
  const s = supporter("twice");
  await page.goto(CAMPAIGN);
  await fillSignForm(page, s);
  await page.getByRole("button", { name: /Sign/ }).click();
  await expect(page.locator("article.letter")).toHaveCount(4);
  const [confirmation] = (await waitForMail((m) => m.filter(mailTo(s.email)).length === 1)).filter(mailTo(s.email));

  // Someone else posts the same address with their own name and street.
  await page.goto(CAMPAIGN);
  await fillSignForm(page, { ...s, firstName: "Mallory", street: "13 Intruder Lane" });
  await page.getByRole("button", { name: /Sign/ }).click();
  await expect(page.getByRole("heading", { name: /check your e-mail/i })).toBeVisible();
  // The page reveals nothing of the first signature...
  await expect(page.locator("main")).not.toContainText("Ada");
  await expect(page.locator("main")).not.toContainText(s.street);
  // ...and the owner's one link still confirms the owner's letters, not Mallory's.
  await page.goto(confirmationLink(confirmation));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/Ada.*confirmed/);
  await waitForMail((m) => m.filter((x) => x.parsed.replyTo?.text.includes(s.email)).length >= 4);
  // Four, and no more once the worker has caught up: Mallory's post queued no letters of its own.
  await workerHadItsChance(browser);
  const delivered = await lettersOf(s.email);
  expect(delivered).toHaveLength(4);
  for (const letter of delivered) {
    expect(letter.parsed.text).toContain(`Ada ${s.lastName}`);
    expect(letter.parsed.text).toContain(s.street);
    expect(letter.parsed.text).not.toContain("Mallory");
    expect(letter.parsed.text).not.toContain("Intruder");
  }
});

test("a mail scanner that opens the link confirms nothing; the person's click does", async ({
  page,
  request,
  browser,
}) => {
  const s = supporter("scanner");
  await page.goto(CAMPAIGN);
  await fillSignForm(page, s);
  await page.getByRole("button", { name: /Sign/ }).click();
  const [confirmation] = (await waitForMail((m) => m.some(mailTo(s.email)))).filter(mailTo(s.email));
  const link = confirmationLink(confirmation);

  const scanned = await request.get(link, { headers: { "User-Agent": "Mozilla/5.0 (compatible; bingbot/2.0)" } });
  expect(await scanned.text()).toContain("Confirm and send my letters");
  await request.head(link);
  // Once the worker has sent letters confirmed after the scanner's visits, none of these has gone.
  await workerHadItsChance(browser);
  expect(await lettersOf(s.email)).toHaveLength(0);

  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/confirmed/i);
  await waitForMail((m) => m.filter((x) => x.parsed.replyTo?.text.includes(s.email)).length === 4);
});

test("the campaign page has no serious or critical accessibility violations", async ({ page }) => {
  await page.goto(CAMPAIGN);
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
});

test("a vacant seat is said plainly and the other letters still go", async ({ page }) => {
  await page.goto(CAMPAIGN);
  await fillSignForm(page, { ...supporter("vacant"), city: "Hayward", state: "CA", zip: "94541", street: "777 B St" });
  await page.getByRole("button", { name: /Sign/ }).click();
  await expect(page.getByRole("region", { name: "Vacant seats" })).toContainText(
    /14th congressional district is vacant/,
  );
  const letters = page.locator("article.letter");
  await expect(letters).toHaveCount(3);
  await expect(letters.filter({ hasText: "Dear Senator Padilla," })).toHaveCount(1);
});

test("a Washington, D.C. supporter writes to the President and the Delegate, and to no senator", async ({ page }) => {
  await page.goto(CAMPAIGN);
  await fillSignForm(page, {
    ...supporter("dc"),
    city: "Washington",
    state: "DC",
    zip: "20001",
    street: "900 7th St NW",
  });
  await page.getByRole("button", { name: /Sign/ }).click();
  const letters = page.locator("article.letter");
  await expect(letters).toHaveCount(2);
  await expect(letters.filter({ hasText: "Dear Delegate Norton," })).toHaveCount(1);
  await expect(letters.filter({ hasText: "Dear Senator" })).toHaveCount(0);
});

test("the form with errors and the page after signing have no serious or critical accessibility violations", async ({
  page,
}) => {
  const serious = async () =>
    (await new AxeBuilder({ page }).analyze()).violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.help}`);
  await page.goto(CAMPAIGN);
  await page.getByRole("button", { name: /Sign/ }).click();
  await expect(page.locator(".error-summary")).toBeVisible();
  expect(await serious()).toEqual([]);

  await fillSignForm(page, supporter("a11y"));
  await page.getByRole("button", { name: /Sign/ }).click();
  await expect(page.locator("article.letter")).toHaveCount(4);
  expect(await serious()).toEqual([]);
});

test("with JavaScript on, a ZIP in several districts asks for the representative before posting", async ({ page }) => {
  await page.goto(CAMPAIGN);
  await fillSignForm(page, { ...supporter("split-js"), zip: "98101", street: "1301 2nd Ave" });
  const choice = page.getByRole("group", { name: /more than one congressional district/i });
  await expect(choice).toBeVisible();
  await expect(choice.getByRole("radio")).toHaveCount(2);
  await choice.getByLabel(/Adam Smith/).check();
  await page.getByRole("button", { name: /Sign/ }).click();
  await expect(page.locator("article.letter").filter({ hasText: "Dear Representative Smith," })).toHaveCount(1);
});
