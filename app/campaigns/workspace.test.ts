// The organizers' campaign work through the domain, on a real SQLite file with the bundled
// offices, and letters delivered by a real worker to a real SMTP server.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../../test/db";
import { createDeliveryStore } from "~/delivery/queue/store.server";
import { startSmtpSink, type SmtpSink } from "../../test/fakes/smtp";
import { recordingLogger } from "../../test/logger";
import { createMailTransport, type MailTransport } from "~/delivery/transport.server";
import { startWorker } from "~/delivery/worker.server";
import { moderateSignature, moderationQueue, ModerationError } from "~/moderation/moderation.server";
import { importTargets } from "~/targets/import.server";
import { createExtraOffice } from "~/targets/offices-admin.server";
import {
  campaignFormDefaults,
  changeCampaignStatus,
  goLiveProblems,
  previewLetters,
  saveCampaign,
  setCampaignPaused,
} from "./admin.server";
import { CampaignFormSchema } from "./campaign-form";
import { getLetterTemplate } from "~/letters/campaigns";
import { campaignContent } from "~/letters/content";
import { SignSchema } from "./sign-schema";
import { signCampaign } from "./sign.server";
import { getPublicCampaign, signingState } from "./campaigns.server";

// Supporters' confirmation e-mails go to an outbox folder; only letters go to the SMTP server.
const outbox = mkdtempSync(join(tmpdir(), "sincerely-outbox-"));
process.env.OUTBOX_DIR = outbox;

const actor = { id: "organizer-1", email: "owner@coalition.example" };
const INBOX = "inbox@coalition.example";

let t: TestDb;
let sink: SmtpSink;
let transport: MailTransport;
beforeAll(async () => {
  t = await createTestDb();
  await importTargets(t.db);
  sink = await startSmtpSink();
  transport = createMailTransport({ smtpUrl: sink.url, outboxDir: "/nonexistent" });
});
afterAll(async () => {
  await transport.close();
  await sink.close();
  await t.cleanup();
  rmSync(outbox, { recursive: true, force: true });
});
beforeEach(() => {
  sink.received.length = 0;
});

let n = 0;
function form(over: Record<string, unknown> = {}) {
  n++;
  return CampaignFormSchema.parse({
    ...campaignFormDefaults(null),
    title: `Campaign ${n}`,
    slug: `campaign-${n}`,
    testInbox: INBOX,
    ...over,
  });
}

async function sign(
  campaign: Parameters<typeof signCampaign>[1],
  message: string | null,
  email = `s${++n}@example.org`,
) {
  const result = await signCampaign(
    t.db,
    campaign,
    SignSchema.parse({
      firstName: "Ada",
      lastName: "Lovelace",
      email,
      street: "1200 N 45th St",
      city: "Seattle",
      state: "WA",
      zip: "98103",
      points: ["ban"],
      message: message ?? "",
    }),
  );
  expect(result.status).toBe("signed");
  const signature = await t.db.signature.findUniqueOrThrow({
    where: { campaignId_email: { campaignId: campaign.id, email } },
    include: { letters: { include: { office: true } } },
  });
  // Confirmation is tested in sign-and-confirm.test.ts; here the supporter has confirmed.
  await t.db.signature.update({ where: { id: signature.id }, data: { status: "confirmed", confirmedAt: new Date() } });
  await createDeliveryStore(t.db).enqueueForLetters(signature.letters.map((l) => l.id));
  return signature;
}

/** Letters the sink received from one supporter (offices answer to the supporter: Reply-To). */
function lettersFrom(email: string) {
  return sink.received.filter((m) => m.mail.replyTo?.value[0]?.address === email);
}

async function runWorker() {
  const worker = startWorker({
    db: t.db,
    transport,
    mailFrom: "Sincerely <letters@coalition.example>",
    pollMs: 10,
    logger: recordingLogger(),
  });
  await worker.drain();
  await worker.stop();
}

describe("creating, previewing and launching a campaign", () => {
  it("saves a draft with edited content, refuses a taken address, and goes live only when ready", async () => {
    const values = form({
      subjects: { president: "From {city}: no more mines", senator: "Senator, from {city}", house: "From {place}" },
    });
    const created = await saveCampaign(t.db, null, values, actor);
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    expect(created.campaign.status).toBe("draft");
    expect(await getPublicCampaign(created.campaign.slug, t.db)).toBeNull();

    const clash = await saveCampaign(t.db, null, { ...form(), slug: created.campaign.slug }, actor);
    expect(clash).toEqual({ ok: false, errors: { slug: `Address: another campaign already uses /c/${values.slug}` } });

    // Test mode without an inbox cannot go live; the reason is named.
    const noInbox = await saveCampaign(t.db, created.campaign, { ...values, testInbox: null }, actor);
    if (!noInbox.ok) throw new Error("save failed");
    expect(await goLiveProblems(t.db, noInbox.campaign)).toEqual([
      "It is in test mode without a test inbox: set the inbox its letters go to.",
    ]);
    const refused = await changeCampaignStatus(t.db, noInbox.campaign, "live", actor);
    expect(refused.ok).toBe(false);

    const ready = await saveCampaign(t.db, noInbox.campaign, values, actor);
    if (!ready.ok) throw new Error("save failed");
    const live = await changeCampaignStatus(t.db, ready.campaign, "live", actor);
    if (!live.ok) throw new Error(live.problems.join());
    expect(signingState(live.campaign)).toBe("open");
    expect((await getPublicCampaign(values.slug, t.db))?.id).toBe(live.campaign.id);
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "campaign.status" } });
    expect(JSON.parse(audit.detail)).toEqual({ campaign: values.slug, from: "draft", to: "live" });
    expect(audit.actorEmail).toBe(actor.email);

    // A draft cannot be closed, a live one can; a closed one no longer takes signatures.
    const closed = await changeCampaignStatus(t.db, live.campaign, "closed", actor);
    if (!closed.ok) throw new Error("close failed");
    expect(signingState(closed.campaign)).toBe("closed");
    expect((await changeCampaignStatus(t.db, closed.campaign, "draft", actor)).ok).toBe(false);

    // Signing composes from the saved content.
    const reopened = await changeCampaignStatus(t.db, closed.campaign, "live", actor);
    if (!reopened.ok) throw new Error("reopen failed");
    const signature = await sign(reopened.campaign, null);
    expect(signature.letters.find((l) => l.office.chamber === "white_house")?.subject).toBe(
      "From Seattle: no more mines",
    );
  });

  it("previews the letters of a ZIP from unsaved content, extra offices included", async () => {
    const agency = await createExtraOffice(t.db, {
      title: "Secretary",
      fullName: "Secretary of Defense",
      lastName: "of Defense",
      email: null,
    });
    const values = form({
      subjects: { president: "Unsaved subject for {state}", senator: "S {city}", house: "H {city}" },
      closingParagraphs: { president: "Thank you, from {city}.", senator: "Thanks.", house: "Thanks." },
      extraOffices: [agency.key],
    });
    const preview = await previewLetters(t.db, values, "98103", getLetterTemplate("landmines-2020"));
    if (!preview.ok) throw new Error(preview.error);
    expect(preview.letters.map((l) => l.office)).toEqual([
      "The President",
      "Senator Patty Murray",
      "Senator Maria Cantwell",
      "Representative Pramila Jayapal",
      "Secretary of Defense",
    ]);
    expect(preview.letters[0].subject).toBe("Unsaved subject for Washington");
    expect(preview.letters[0].text).toContain("Thank you, from Springfield.");
    expect(preview.letters[4].text).toMatch(/^Dear Secretary of Defense,/);
    expect(await previewLetters(t.db, values, "1234", getLetterTemplate("landmines-2020"))).toEqual({
      ok: false,
      error: "ZIP code: enter 5 digits, like 98101.",
    });
  });

  it("keeps the points of a live campaign", async () => {
    const created = await saveCampaign(t.db, null, form(), actor);
    if (!created.ok) throw new Error("save failed");
    const live = await changeCampaignStatus(t.db, created.campaign, "live", actor);
    if (!live.ok) throw new Error("live failed");
    const defaults = campaignFormDefaults({ ...live.campaign, extraOffices: [] });
    const fewer = CampaignFormSchema.parse({ ...defaults, points: defaults.points!.slice(1) });
    const result = await saveCampaign(t.db, live.campaign, fewer, actor);
    expect(result).toEqual({
      ok: false,
      errors: { points: "Points: a live campaign keeps its points (removed: ban)" },
    });
    expect(campaignContent(live.campaign).points).toHaveLength(4);
  });
});

describe("signingState", () => {
  const day = (d: string) => new Date(`${d}T00:00:00Z`);
  const now = day("2026-06-15");
  it("follows the status first, then the dates", () => {
    expect(signingState({ status: "live", startsAt: null, endsAt: null }, now)).toBe("open");
    expect(signingState({ status: "live", startsAt: day("2026-07-01"), endsAt: null }, now)).toBe("not-yet-open");
    expect(signingState({ status: "live", startsAt: null, endsAt: day("2026-06-15") }, now)).toBe("closed");
    expect(signingState({ status: "closed", startsAt: null, endsAt: null }, now)).toBe("closed");
  });
});

describe("moderation and the pause switch, through a real worker", () => {
  async function liveCampaign() {
    const created = await saveCampaign(t.db, null, form({ mode: "test", testInbox: INBOX }), actor);
    if (!created.ok) throw new Error("save failed");
    const live = await changeCampaignStatus(t.db, created.campaign, "live", actor);
    if (!live.ok) throw new Error("live failed");
    return live.campaign;
  }

  it("holds abusive words for review; rejected letters never go, approved ones do", async () => {
    const campaign = await liveCampaign();
    const rude = await sign(campaign, "You are a fucking disgrace. See http://spam.example.com");
    const kind = await sign(campaign, "My uncle was hurt by a mine.");
    const shouty = await sign(campaign, "PLEASE BAN THESE TERRIBLE WEAPONS NOW");
    expect(rude.moderation).toBe("review");
    expect(rude.moderationReason).toMatch(/abusive language \(fucking\); a link/i);
    expect(kind.moderation).toBe("none");

    await runWorker();
    // Only the ordinary signature's four letters went.
    expect(lettersFrom(kind.email)).toHaveLength(4);
    expect(lettersFrom(kind.email).every((m) => m.envelope.to[0] === INBOX)).toBe(true);
    expect(lettersFrom(rude.email)).toHaveLength(0);
    expect(lettersFrom(shouty.email)).toHaveLength(0);
    const held = await t.db.delivery.findMany({ where: { letter: { signatureId: rude.id } } });
    expect(held.map((d) => d.status)).toEqual(["held", "held", "held", "held"]);
    expect(held[0].lastError).toMatch(/Awaiting moderation/);

    const queue = await moderationQueue(t.db, { campaignSlug: campaign.slug });
    expect(queue.map((s) => s.id).sort()).toEqual([rude.id, shouty.id].sort());
    expect(queue.find((s) => s.id === rude.id)?.matches).toEqual(["fucking", "http://spam.example.com"]);

    expect(await moderateSignature(t.db, rude.id, "reject", actor)).toEqual({ released: 0, cancelled: 4 });
    expect(await moderateSignature(t.db, shouty.id, "approve", actor)).toEqual({ released: 4, cancelled: 0 });
    await expect(moderateSignature(t.db, rude.id, "approve", actor)).rejects.toThrow(ModerationError);

    await runWorker();
    expect(lettersFrom(shouty.email)).toHaveLength(4);
    expect(lettersFrom(shouty.email)[0].mail.text).toContain("PLEASE BAN THESE TERRIBLE WEAPONS NOW");
    expect(lettersFrom(rude.email)).toHaveLength(0);
    const rejected = await t.db.delivery.findMany({ where: { letter: { signatureId: rude.id } } });
    expect(rejected.every((d) => d.status === "cancelled")).toBe(true);
    // A rejected signature does not count; the approved one does.
    const counted = await t.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(counted.confirmedCount).toBe(2);
    const audits = await t.db.auditEvent.findMany({ where: { action: "signature.moderate" } });
    expect(audits.map((a) => JSON.parse(a.detail).decision).sort()).toEqual(["approve", "reject"]);
  });

  it("a paused campaign's letters stay queued until it is resumed", async () => {
    // Depends on the claim skipping paused campaigns (SqliteDeliveryStore.claim; the
    // PostgreSQL claim must do the same).
    const campaign = await liveCampaign();
    await setCampaignPaused(t.db, campaign.slug, true, actor);
    const signature = await sign(campaign, null);
    await runWorker();
    expect(lettersFrom(signature.email)).toHaveLength(0);
    const waiting = await t.db.delivery.findMany({ where: { letter: { signatureId: signature.id } } });
    expect(waiting.map((d) => d.status)).toEqual(["queued", "queued", "queued", "queued"]);

    await setCampaignPaused(t.db, campaign.slug, false, actor);
    await runWorker();
    expect(lettersFrom(signature.email)).toHaveLength(4);
  });

  it("refuses to decide a signature twice and names the state it is in", async () => {
    const campaign = await liveCampaign();
    const signature = await sign(campaign, "ok words");
    await expect(moderateSignature(t.db, signature.id, "reject", actor)).rejects.toThrow(
      "That signature was already none.",
    );
  });
});
