// The supporter journey through the domain, on a real SQLite file, with e-mails written to
// a real outbox folder (the transport a fresh install uses).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createTestDb, type TestDb } from "../../test/db";
import { sendQueuedSupporterEmails } from "../../test/supporter-mail";
import { importTargets } from "~/targets/import.server";
import { createCampaign } from "./campaigns.server";
import { confirmSignature, isLinkScanner, resendConfirmation } from "./confirm.server";
import { SignSchema } from "./sign-schema";
import { signCampaign } from "./sign.server";
import { startSmtpSink } from "../../test/fakes/smtp";
import { createMailTransport, type MailTransport } from "~/delivery/transport.server";

const outbox = mkdtempSync(join(tmpdir(), "sincerely-outbox-"));
process.env.OUTBOX_DIR = outbox;
process.env.APP_URL = "https://sign.example.org";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  await importTargets(t.db);
});
afterAll(async () => {
  await t.cleanup();
  rmSync(outbox, { recursive: true, force: true });
});
beforeEach(async () => {
  // Each test reads only its own e-mails: what earlier tests queued and never sent is dropped.
  await t.db.supporterEmail.deleteMany();
  for (const f of readdirSync(outbox)) rmSync(join(outbox, f));
});

let n = 0;
async function newCampaign() {
  return createCampaign(t.db, { slug: `c-${++n}`, template: "landmines-2020" });
}

function values(over: Record<string, unknown> = {}) {
  return SignSchema.parse({
    firstName: "Ada",
    lastName: "Lovelace",
    email: `ada${n}@example.org`,
    street: "1200 N 45th St",
    city: "Seattle",
    state: "WA",
    zip: "98103",
    points: ["ban", "accede", "stockpiles", "mine-action"],
    message: "Please.",
    ...over,
  });
}

/** The supporters' inboxes: the queued e-mails sent, as the worker would, then read from the outbox. */
async function outboxMail() {
  await sendQueuedSupporterEmails(t.db);
  return Promise.all(
    readdirSync(outbox)
      .filter((f) => f.endsWith(".eml"))
      .map(async (f) => simpleParser(readFileSync(join(outbox, f)))),
  );
}

function tokenFrom(text: string): string {
  const m = /https:\/\/sign\.example\.org\/confirm\/([A-Za-z0-9_-]+)/.exec(text);
  if (!m) throw new Error(`no confirmation link in:\n${text}`);
  return m[1];
}

describe("signing", () => {
  test("stores a pending signature, one letter per office, and e-mails one confirmation link", async () => {
    const campaign = await newCampaign();
    const result = await signCampaign(t.db, campaign, values());
    expect(result.status).toBe("signed");
    if (result.status !== "signed") return;
    expect(result.letters.map((l) => l.office)).toEqual([
      "The President",
      "Senator Patty Murray",
      "Senator Maria Cantwell",
      "Representative Pramila Jayapal",
    ]);

    const signature = await t.db.signature.findFirstOrThrow({
      where: { campaignId: campaign.id },
      include: { letters: true, tokens: true },
    });
    expect(signature.status).toBe("pending");
    expect(signature.district).toBe(7);
    expect(signature.letters).toHaveLength(4);
    // The page shows exactly what is stored and will be sent.
    expect(signature.letters.map((l) => l.bodyText).sort()).toEqual(result.letters.map((l) => l.text).sort());
    // Nothing is queued before confirmation.
    expect(await t.db.delivery.count({ where: { letter: { signatureId: signature.id } } })).toBe(0);

    const [mail] = await outboxMail();
    expect(mail.to && "text" in mail.to ? mail.to.text : "").toContain("ada");
    const token = tokenFrom(String(mail.text));
    // Only a hash of the token is stored.
    expect(signature.tokens[0].tokenHash).not.toContain(token);
    expect(signature.tokens[0].tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  test("a ZIP in several districts is never guessed", async () => {
    const campaign = await newCampaign();
    const result = await signCampaign(t.db, campaign, values({ zip: "98101" }));
    expect(result.status).toBe("invalid");
    if (result.status !== "invalid") return;
    expect(result.errors.district).toBeTruthy();
    expect(result.candidates?.map((c) => c.district).sort()).toEqual([7, 9]);
    expect(await t.db.signature.count({ where: { campaignId: campaign.id } })).toBe(0);

    const chosen = await signCampaign(t.db, campaign, values({ zip: "98101", district: "9" }));
    expect(chosen.status === "signed" && chosen.letters.map((l) => l.office)).toContain("Representative Adam Smith");
  });

  test("an unknown point is refused and nothing is stored", async () => {
    const campaign = await newCampaign();
    const result = await signCampaign(t.db, campaign, values({ points: ["ban", "nukes"] }));
    expect(result).toMatchObject({ status: "invalid", errors: { points: expect.stringContaining("nukes") } });
    expect(await t.db.signature.count({ where: { campaignId: campaign.id } })).toBe(0);
  });

  test("signing again answers the same, stores nothing new, and e-mails only the address's owner", async () => {
    const campaign = await newCampaign();
    const first = await signCampaign(t.db, campaign, values(), { now: new Date("2026-11-01T10:00:00Z") });
    const again = await signCampaign(t.db, campaign, values({ firstName: "Mallory", street: "1 Other St" }), {
      now: new Date("2026-11-01T10:05:00Z"),
    });
    expect(again.status).toBe("signed");
    expect(first.status === "signed" && again.status === "signed" && again.letters.length).toBe(4);
    expect(await t.db.signature.count({ where: { campaignId: campaign.id } })).toBe(1);
    const stored = await t.db.signature.findFirstOrThrow({ where: { campaignId: campaign.id } });
    expect(stored.firstName).toBe("Ada");

    // The owner got a fresh link (the signature is still pending), addressed with the stored name.
    const mail = await outboxMail();
    expect(mail).toHaveLength(2);
    for (const m of mail) expect(String(m.text)).toContain("Ada");
  });
});

describe("e-mailing supporters", () => {
  test("a confirmation the mail server refuses for now waits in the queue, and goes when the server is back", async () => {
    const campaign = await newCampaign();
    // The page answers without waiting for the mail server: the e-mail is queued with the signature.
    const signed = await signCampaign(t.db, campaign, values());
    expect(signed).toMatchObject({ status: "signed" });
    const queued = await t.db.supporterEmail.findFirstOrThrow({ where: { signature: { campaignId: campaign.id } } });
    expect(queued).toMatchObject({ kind: "confirmation", status: "queued", attempts: 0 });

    const services = globalThis as unknown as { __sincerelyMail?: unknown };
    const outboxTransport = services.__sincerelyMail;
    // A real SMTP transport pointed at a port where nothing listens.
    services.__sincerelyMail = createMailTransport({ smtpUrl: "smtp://127.0.0.1:9", outboxDir: outbox });
    try {
      await sendQueuedSupporterEmails(t.db, { backoff: { baseMs: 20, capMs: 20 } });
    } finally {
      services.__sincerelyMail = outboxTransport;
    }
    const waiting = await t.db.supporterEmail.findUniqueOrThrow({ where: { id: queued.id } });
    expect(waiting).toMatchObject({ status: "queued", attempts: 1, leaseOwner: null });
    expect(waiting.lastError).toMatch(/ECONNREFUSED/);
    expect(waiting.token).not.toBeNull();

    await new Promise((r) => setTimeout(r, 100));
    const mail = await outboxMail();
    expect(mail).toHaveLength(1);
    expect(await confirmSignature(t.db, tokenFrom(String(mail[0].text)))).toMatchObject({ status: "confirmed" });
    // Sent: the token in the clear is gone, only its hash remains.
    expect(await t.db.supporterEmail.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({
      status: "sent",
      attempts: 2,
      token: null,
    });
  });

  test("an address the mail server refuses for good fails with the reason, and is not retried", async () => {
    const campaign = await newCampaign();
    await signCampaign(t.db, campaign, values());
    const services = globalThis as unknown as { __sincerelyMail?: unknown };
    const outboxTransport = services.__sincerelyMail;
    const refusing = await startSmtpSink();
    refusing.refuse(values().email, 550, "5.1.1 No such mailbox");
    services.__sincerelyMail = createMailTransport({ smtpUrl: refusing.url, outboxDir: outbox });
    try {
      await sendQueuedSupporterEmails(t.db, { backoff: { baseMs: 20, capMs: 20 } });
      await new Promise((r) => setTimeout(r, 100));
      await sendQueuedSupporterEmails(t.db, { backoff: { baseMs: 20, capMs: 20 } });
    } finally {
      await (services.__sincerelyMail as MailTransport).close();
      services.__sincerelyMail = outboxTransport;
      await refusing.close();
    }
    expect(refusing.received).toHaveLength(0);
    const failed = await t.db.supporterEmail.findFirstOrThrow({ where: { signature: { campaignId: campaign.id } } });
    expect(failed).toMatchObject({ status: "failed", attempts: 1, token: null });
    expect(failed.lastError).toMatch(/550/);
  });

  test("repeated signing e-mails the owner less and less often", async () => {
    const campaign = await newCampaign();
    const t0 = new Date("2026-11-02T10:00:00Z").getTime();
    const at = (seconds: number) => ({ now: new Date(t0 + seconds * 1000) });
    await signCampaign(t.db, campaign, values(), at(0)); // 1st e-mail
    await signCampaign(t.db, campaign, values(), at(30)); // too soon after the 1st (1 min)
    expect(await outboxMail()).toHaveLength(1);
    await signCampaign(t.db, campaign, values(), at(61)); // 2nd
    await signCampaign(t.db, campaign, values(), at(150)); // too soon after the 2nd (2 min)
    expect(await outboxMail()).toHaveLength(2);
    await signCampaign(t.db, campaign, values(), at(182)); // 3rd
    expect(await outboxMail()).toHaveLength(3);
    expect(await t.db.signature.count({ where: { campaignId: campaign.id } })).toBe(1);
  });
});

describe("confirming", () => {
  test("the link confirms once, counts the signature, and queues one delivery per letter", async () => {
    const campaign = await newCampaign();
    await signCampaign(t.db, campaign, values());
    const token = tokenFrom(String((await outboxMail())[0].text));

    const result = await confirmSignature(t.db, token);
    expect(result).toMatchObject({ status: "confirmed", letters: 4 });
    const signature = await t.db.signature.findFirstOrThrow({ where: { campaignId: campaign.id } });
    expect(signature.status).toBe("confirmed");
    expect((await t.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).confirmedCount).toBe(1);
    expect(await t.db.delivery.count({ where: { letter: { signatureId: signature.id }, status: "queued" } })).toBe(4);

    // A second click changes nothing.
    expect(await confirmSignature(t.db, token)).toMatchObject({ status: "already-confirmed" });
    expect(await t.db.delivery.count({ where: { letter: { signatureId: signature.id } } })).toBe(4);
    expect((await t.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).confirmedCount).toBe(1);
  });

  test("two clicks at once confirm once", async () => {
    const campaign = await newCampaign();
    await signCampaign(t.db, campaign, values());
    const token = tokenFrom(String((await outboxMail())[0].text));
    const results = await Promise.all([confirmSignature(t.db, token), confirmSignature(t.db, token)]);
    expect(results.filter((r) => r.status === "confirmed")).toHaveLength(1);
    expect((await t.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).confirmedCount).toBe(1);
    expect(await t.db.delivery.count({ where: { letter: { signature: { campaignId: campaign.id } } } })).toBe(4);
  });

  test("an expired link confirms nothing and a new one can be sent", async () => {
    const campaign = await newCampaign();
    const signedAt = new Date("2026-11-01T10:00:00Z");
    await signCampaign(t.db, campaign, values(), { now: signedAt });
    const token = tokenFrom(String((await outboxMail())[0].text));

    const later = new Date(signedAt.getTime() + 8 * 24 * 3600 * 1000);
    expect(await confirmSignature(t.db, token, later)).toMatchObject({ status: "expired" });
    expect(await t.db.delivery.count({ where: { letter: { signature: { campaignId: campaign.id } } } })).toBe(0);

    await resendConfirmation(t.db, token, later);
    const links = (await outboxMail()).map((m) => tokenFrom(String(m.text)));
    const fresh = links.find((l) => l !== token)!;
    expect(fresh).toBeTruthy();
    expect(await confirmSignature(t.db, fresh, later)).toMatchObject({ status: "confirmed" });
  });

  test("a dry run (a mail scanner's visit) says what would happen and changes nothing", async () => {
    const campaign = await newCampaign();
    await signCampaign(t.db, campaign, values());
    const token = tokenFrom(String((await outboxMail())[0].text));
    expect(await confirmSignature(t.db, token, new Date(), { dryRun: true })).toMatchObject({ status: "confirmed" });
    expect(await t.db.signature.count({ where: { campaignId: campaign.id, status: "pending" } })).toBe(1);
    expect(await confirmSignature(t.db, token)).toMatchObject({ status: "confirmed", letters: 4 });
  });

  test.each([
    ["Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", true],
    ["Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", true],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) Microsoft Office/16.0", true],
    [
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0 Safari/537.36",
      false,
    ],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148", false],
    [null, false],
  ])("the user agent %j is a link scanner: %s", (ua, expected) => {
    expect(isLinkScanner(ua)).toBe(expected);
  });

  test("an unknown token is reported as unknown", async () => {
    expect(await confirmSignature(t.db, "not-a-token")).toEqual({ status: "unknown" });
  });
});
