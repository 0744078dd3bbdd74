// The web server's own delivery worker (WORKER=inline). A server of its own here, with a worker
// that polls only once a minute: a confirmation and letters that arrive within seconds were sent
// because the sign action and the confirmation woke the worker. (Both run in the Remix build,
// which loads its own copy of the app's modules: the wake-up has to reach the worker the server
// started, across the two.)
import { expect, test } from "@playwright/test";
import { CAMPAIGN, confirmationLink, mailTo, supporter, TEST_INBOX, waitForMail } from "./helpers";
import { startOwnServer, type OwnServer } from "./own-server";

let app: OwnServer;

test.beforeAll(async () => {
  app = await startOwnServer({
    name: "inline",
    port: Number(process.env.E2E_INLINE_WORKER_PORT ?? 3125),
    env: () => ({
      SMTP_URL: process.env.E2E_SMTP_URL,
      MAIL_FROM: "Sincerely Test <letters@sincerely.test>",
      TEST_INBOX,
      WORKER: "inline",
      WORKER_POLL_MS: "60000",
    }),
    ready: (output) => output.includes("worker started"),
  });
});

test.afterAll(async () => {
  await app.stop();
});

test("the inline worker sends a confirmation and then the letters at once, not at its next poll, and stops cleanly", async ({
  page,
  request,
}) => {
  const { base } = app;
  const s = supporter("inline");
  const form = new URLSearchParams({
    firstName: s.firstName,
    lastName: s.lastName,
    email: s.email,
    street: s.street,
    city: s.city,
    state: s.state,
    zip: s.zip,
    points: "ban",
  });
  const signed = await request.post(`${base}${CAMPAIGN}`, {
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    data: form.toString(),
  });
  expect(signed.status()).toBe(200);

  // The worker's next poll is a minute away: this e-mail left because signing woke it.
  const mail = await waitForMail((m) => m.some(mailTo(s.email)), { timeoutMs: 15_000 });
  const link = confirmationLink(mail.find(mailTo(s.email))!);
  expect(link).toContain(`${base}/confirm/`);

  // So do the four letters once the supporter confirms.
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/confirmed/i);
  const fromSupporter = (m: { parsed: { replyTo?: { text: string } } }) => !!m.parsed.replyTo?.text.includes(s.email);
  const letters = await waitForMail((m) => m.filter(fromSupporter).length >= 4, { timeoutMs: 15_000 });
  expect(letters.filter(fromSupporter)).toHaveLength(4);

  const exited = new Promise<number | null>((resolve) => app.child.once("exit", resolve));
  app.child.kill("SIGTERM");
  expect(await exited).toBe(0);
  expect(app.output()).toContain("finishing the letters in hand");
});
