// A supporter's privacy on a real SQLite file, with e-mails written to a real outbox folder:
// every supporter e-mail can unsubscribe, unsubscribing stops e-mail but not letters, and
// erasing removes the personal data everywhere while the anonymous counts stay.
import { simpleParser, type ParsedMail } from "mailparser";
import { sendQueuedSupporterEmails } from "../../test/supporter-mail";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createCampaign } from "~/campaigns/campaigns.server";
import { confirmSignature } from "~/campaigns/confirm.server";
import { SignSchema } from "~/campaigns/sign-schema";
import { signCampaign } from "~/campaigns/sign.server";
import { recordingLogger } from "../../test/logger";
import { startWorker } from "~/delivery/worker.server";
import { env } from "~/env.server";
import { mailTransport } from "~/services.server";
import { importTargets } from "~/targets/import.server";
import { createTestDb, type TestDb } from "../../test/db";
import { confirmErasure, ERASED_LETTER_TEXT, erasureLinkState, requestErasure } from "./erasure.server";
import { unsubscribe, unsubscribeToken, verifyUnsubscribeToken } from "~/delivery/supporter-email/unsubscribe.server";

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
beforeEach(() => {
  for (const f of readdirSync(outbox)) rmSync(join(outbox, f));
});

let n = 0;
/** The form as Ada fills it in, with this e-mail address. */
function ada(email: string, more: { points: string[]; message?: string }) {
  return SignSchema.parse({
    firstName: "Ada",
    lastName: "Lovelace",
    email,
    street: "1200 N 45th St",
    city: "Seattle",
    state: "WA",
    zip: "98103",
    ...more,
  });
}

async function signed(email: string, confirmed = true) {
  const campaign = await createCampaign(t.db, { slug: `p-${++n}`, template: "landmines-2020" });
  const result = await signCampaign(
    t.db,
    campaign,
    ada(email, { points: ["ban", "accede"], message: "My own words." }),
  );
  expect(result.status).toBe("signed");
  const mail = await outboxMail();
  const token = /https:\/\/sign\.example\.org\/confirm\/([A-Za-z0-9_-]+)/.exec(String(mail.at(-1)?.text))![1];
  if (confirmed) await confirmSignature(t.db, token);
  const signature = await t.db.signature.findFirstOrThrow({ where: { campaignId: campaign.id } });
  return { campaign, signature, mail: mail.at(-1)! };
}

/** The same address signs the campaign again two days later (past the pacing of its e-mails). */
async function signAgainLater(campaign: { id: string }, email: string) {
  const full = await t.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
  return signCampaign(t.db, full, ada(email, { points: ["ban"] }), { now: new Date(Date.now() + 48 * 3600 * 1000) });
}

/** The supporters' inboxes: the queued e-mails sent, as the worker would, then read from the outbox. */
async function outboxMail(): Promise<ParsedMail[]> {
  await sendQueuedSupporterEmails(t.db);
  const files = readdirSync(outbox).filter((f) => f.endsWith(".eml"));
  return Promise.all(files.map((f) => simpleParser(readFileSync(join(outbox, f)))));
}

describe("unsubscribing", () => {
  test("every confirmation e-mail carries a working link and a List-Unsubscribe header", async () => {
    const { signature, mail } = await signed(`u${Date.now()}@example.org`, false);
    const link = /https:\/\/sign\.example\.org\/unsubscribe\/([A-Za-z0-9_~-]+)/.exec(String(mail.text));
    expect(link).not.toBeNull();
    expect(verifyUnsubscribeToken(link![1])).toBe(signature.id);
    const header = (name: string) => mail.headerLines.find((h) => h.key === name)?.line.replace(/\r?\n\s*/g, " ");
    expect(header("list-unsubscribe")).toContain(`<https://sign.example.org/unsubscribe/${link![1]}>`);
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
  });

  test("the note to someone who signs again carries the link and the header too", async () => {
    const email = `again${Date.now()}@example.org`;
    const { campaign, signature } = await signed(email);
    for (const f of readdirSync(outbox)) rmSync(join(outbox, f));
    await signAgainLater(campaign, email);
    const [note] = await outboxMail();
    expect(note.subject).toMatch(/already signed/i);
    expect(String(note.text)).toContain(`/unsubscribe/${unsubscribeToken(signature.id)}`);
    expect(note.headerLines.some((h) => h.key === "list-unsubscribe")).toBe(true);
  });

  test("a forged token is refused and changes nothing", async () => {
    const { signature } = await signed(`f${Date.now()}@example.org`);
    const forged = `${signature.id}~${"A".repeat(43)}`;
    expect(verifyUnsubscribeToken(forged)).toBeNull();
    expect(await unsubscribe(t.db, forged)).toBe("invalid");
    expect((await t.db.signature.findUniqueOrThrow({ where: { id: signature.id } })).unsubscribedAt).toBeNull();
  });

  test("stops supporter e-mail at that address on every campaign, but not the letters", async () => {
    const email = `stop${Date.now()}@example.org`;
    const first = await signed(email);
    const second = await signed(email, false);
    expect(await unsubscribe(t.db, unsubscribeToken(first.signature.id))).toBe("unsubscribed");
    const rows = await t.db.signature.findMany({ where: { email } });
    expect(rows.map((r) => [r.unsubscribedAt !== null, r.consentToContact])).toEqual([
      [true, false],
      [true, false],
    ]);
    // The confirmed signature's letters are still queued for the offices.
    expect(
      await t.db.delivery.count({ where: { letter: { signatureId: first.signature.id }, status: "queued" } }),
    ).toBe(4);
    // Signing the second campaign again would e-mail a new link: it does not any more.
    for (const f of readdirSync(outbox)) rmSync(join(outbox, f));
    await signCampaign(t.db, second.campaign, ada(email, { points: ["ban"] }), {
      now: new Date(Date.now() + 48 * 3600 * 1000),
    });
    expect(await outboxMail()).toHaveLength(0);
  });
});

describe("erasing a supporter's data", () => {
  test("needs the link from the e-mail, then removes personal data everywhere and keeps the counts", async () => {
    const email = `erase${Date.now()}@example.org`;
    const a = await signed(email);
    const b = await signed(email, false);
    const before = await t.db.campaign.findUniqueOrThrow({ where: { id: a.campaign.id } });
    const areasBefore = await t.db.campaignArea.findMany({ where: { campaignId: a.campaign.id } });
    for (const f of readdirSync(outbox)) rmSync(join(outbox, f));

    expect(await requestErasure(t.db, email)).toBe("sent");
    const [mail] = await outboxMail();
    expect(mail.subject).toMatch(/delete your data/i);
    expect(String(mail.text)).toMatch(/\/unsubscribe\//);
    const token = /https:\/\/sign\.example\.org\/privacy\/erase\/([A-Za-z0-9_-]+)/.exec(String(mail.text))![1];
    // Nothing is erased until the link is used.
    expect(await t.db.signature.count({ where: { email } })).toBe(2);
    expect(await erasureLinkState(t.db, token)).toBe("valid");

    expect(await confirmErasure(t.db, token)).toEqual({ state: "valid", erased: 2 });
    expect(await t.db.signature.count({ where: { email } })).toBe(0);
    for (const s of [a.signature, b.signature]) {
      const row = await t.db.signature.findUniqueOrThrow({
        where: { id: s.id },
        include: { letters: true, tokens: true },
      });
      expect(row).toMatchObject({
        firstName: "",
        lastName: "",
        email: `erased-${s.id}@invalid`,
        street: "",
        city: "",
        message: null,
        ipHash: null,
        state: "WA",
        district: 7,
        status: s.status,
      });
      expect(row.erasedAt).not.toBeNull();
      expect(row.tokens).toHaveLength(0);
      expect(row.letters.every((l) => l.bodyText === ERASED_LETTER_TEXT && !l.bodyHtml.includes("Lovelace"))).toBe(
        true,
      );
      // Subjects name the writer's city: they go too.
      expect(row.letters.every((l) => l.subject === ERASED_LETTER_TEXT)).toBe(true);
    }
    // Letters not yet sent never go.
    const deliveries = await t.db.delivery.findMany({ where: { letter: { signatureId: a.signature.id } } });
    expect(deliveries.map((d) => d.status)).toEqual(["cancelled", "cancelled", "cancelled", "cancelled"]);
    // The anonymous counts are unchanged.
    const after = await t.db.campaign.findUniqueOrThrow({ where: { id: a.campaign.id } });
    expect(after.confirmedCount).toBe(before.confirmedCount);
    expect(await t.db.campaignArea.findMany({ where: { campaignId: a.campaign.id } })).toEqual(areasBefore);
    // The request no longer names the address, and its link works once.
    expect(await t.db.erasureRequest.count({ where: { email } })).toBe(0);
    expect(await confirmErasure(t.db, token)).toEqual({ state: "used", erased: 0 });
  });

  test("an e-mail to the supporter still queued when they erase their data never goes", async () => {
    const email = `erase-queued${Date.now()}@example.org`;
    const { campaign, signature } = await signed(email, false);
    // Signed again two days later: a new link is queued, and the worker has not come round yet.
    await signAgainLater(campaign, email);
    expect(await t.db.supporterEmail.count({ where: { signatureId: signature.id, status: "queued" } })).toBe(1);

    for (const f of readdirSync(outbox)) rmSync(join(outbox, f));
    expect(await requestErasure(t.db, email)).toBe("sent");
    // The outbox as it is (outboxMail() would send the queue first): the erasure e-mail only.
    const files = readdirSync(outbox).filter((f) => f.endsWith(".eml"));
    expect(files).toHaveLength(1);
    const mail = await simpleParser(readFileSync(join(outbox, files[0])));
    const token = /https:\/\/sign\.example\.org\/privacy\/erase\/([A-Za-z0-9_-]+)/.exec(String(mail.text))![1];
    expect(await confirmErasure(t.db, token)).toEqual({ state: "valid", erased: 1 });

    expect(await t.db.supporterEmail.count({ where: { signatureId: signature.id, status: "queued" } })).toBe(0);
    expect(await sendQueuedSupporterEmails(t.db)).toBe(0);
    // Nothing new in the outbox; the deletion confirmation itself went with the rest.
    expect(readdirSync(outbox).filter((f) => f.endsWith(".eml"))).toHaveLength(0);
  });

  test("deletes the supporter's files from the outbox, and nobody else's", async () => {
    const email = `erase-outbox${Date.now()}@example.org`;
    const other = `keep-outbox${Date.now()}@example.org`;
    // Two signatures of theirs (confirmation e-mails, a note for signing again, letters), and
    // someone else's on the same campaign; all confirmed with the links their e-mails carry.
    const a = await signed(email);
    const b = await signed(email, false);
    await signAgainLater(a.campaign, email);
    const campaign = await t.db.campaign.findUniqueOrThrow({ where: { id: b.campaign.id } });
    expect((await signCampaign(t.db, campaign, ada(other, { points: ["ban"] }))).status).toBe("signed");
    await outboxMail();
    const theirs = await t.db.signature.findFirstOrThrow({ where: { email: other } });
    for (const signature of [b.signature, theirs]) {
      const sent = await t.db.supporterEmail.findFirstOrThrow({
        where: { signatureId: signature.id, kind: "confirmation" },
      });
      const mail = await simpleParser(readFileSync(join(outbox, `supporter-${sent.id}.eml`)));
      const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(String(mail.text))![1];
      expect((await confirmSignature(t.db, token)).status).toBe("confirmed");
    }
    // The worker writes the letters to the outbox (the campaigns are in test mode).
    const worker = startWorker({
      db: t.db,
      transport: mailTransport(),
      mailFrom: env().MAIL_FROM,
      pollMs: 10,
      logger: recordingLogger(),
    });
    await worker.drain();
    await worker.stop();
    // Not the app's, or not about them: an organizer's invitation, and a note someone put there.
    writeFileSync(join(outbox, "invite-0b6c2a.eml"), "To: someone@coalition.example\r\n\r\nJoin us");
    writeFileSync(join(outbox, "notes.txt"), `${email} asked about their data`);
    expect(await requestErasure(t.db, email)).toBe("sent");

    /** The outbox: the e-mail files that name the supporter's address, and the rest. */
    const files = () => {
      const names = readdirSync(outbox).sort();
      const aboutThem = (f: string) => f.endsWith(".eml") && readFileSync(join(outbox, f), "latin1").includes(email);
      return { theirs: names.filter(aboutThem), rest: names.filter((f) => !aboutThem(f)) };
    };
    const before = files();
    const mine = { signatureId: { in: [a.signature.id, b.signature.id] } };
    const letters = await t.db.delivery.findMany({ where: { letter: mine, status: "sent" } });
    const emails = await t.db.supporterEmail.findMany({ where: { ...mine, status: "sent" } });
    expect(letters).toHaveLength(8); // four offices for each signature
    expect(emails).toHaveLength(3); // two confirmations and the note
    const erasureFile = before.theirs.find((f) => f.startsWith("erasure-"))!;
    expect(before.theirs).toEqual(
      [...letters.map((d) => `${d.id}.eml`), ...emails.map((e) => `supporter-${e.id}.eml`), erasureFile].sort(),
    );
    // Among the rest: the other supporter's confirmation and four letters, the invitation and the
    // note (and the letters earlier tests left queued, which the worker sent too).
    const othersLetters = await t.db.delivery.findMany({
      where: { letter: { signatureId: theirs.id }, status: "sent" },
    });
    const othersEmails = await t.db.supporterEmail.findMany({ where: { signatureId: theirs.id, status: "sent" } });
    expect(othersLetters).toHaveLength(4);
    expect(before.rest).toEqual(
      expect.arrayContaining([
        ...othersLetters.map((d) => `${d.id}.eml`),
        ...othersEmails.map((e) => `supporter-${e.id}.eml`),
        "invite-0b6c2a.eml",
        "notes.txt",
      ]),
    );

    const erasureMail = await simpleParser(readFileSync(join(outbox, erasureFile)));
    const token = /\/privacy\/erase\/([A-Za-z0-9_-]+)/.exec(String(erasureMail.text))![1];
    expect(await confirmErasure(t.db, token)).toEqual({ state: "valid", erased: 2 });

    const after = files();
    expect(after.theirs).toEqual([]);
    expect(after.rest).toEqual(before.rest);
  });

  test("an address that never signed gets no e-mail (and the page answers the same)", async () => {
    expect(await requestErasure(t.db, `nobody${Date.now()}@example.org`)).toBe("none");
    expect(await outboxMail()).toHaveLength(0);
  });

  test("an expired or unknown link erases nothing", async () => {
    const email = `late${Date.now()}@example.org`;
    await signed(email);
    await requestErasure(t.db, email, new Date(Date.now() - 25 * 3600 * 1000));
    const [mail] = (await outboxMail()).filter((m) => /delete/i.test(String(m.subject)));
    const token = /\/privacy\/erase\/([A-Za-z0-9_-]+)/.exec(String(mail.text))![1];
    expect((await confirmErasure(t.db, token)).state).toBe("expired");
    expect((await confirmErasure(t.db, "not-a-token")).state).toBe("unknown");
    expect(await t.db.signature.count({ where: { email } })).toBe(1);
  });
});
