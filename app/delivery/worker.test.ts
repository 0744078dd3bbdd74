import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../../test/db";
import { sendDueSupporterEmails } from "~/delivery/supporter-email/queue.server";
import { contentOf, emailSupporter, newConfirmation } from "~/campaigns/supporter-mail.server";
import { hashToken } from "~/security/tokens.server";
import { SqliteDeliveryStore } from "./queue/store.server";
import { startSmtpSink, type SmtpSink } from "../../test/fakes/smtp";
import { recordingLogger } from "../../test/logger";
import { seedCampaign, seedLetter, seedOffice } from "../../test/seed";
import { createMailTransport, type MailTransport } from "./transport.server";
import { startWorker, type DeliveryWorker, type WorkerOptions } from "./worker.server";

const MAIL_FROM = "Sincerely <letters@coalition.example>";

let t: TestDb;
let sink: SmtpSink;
let transport: MailTransport;
let store: SqliteDeliveryStore;
let workers: DeliveryWorker[];
let logger: ReturnType<typeof recordingLogger>;

beforeEach(async () => {
  t = await createTestDb();
  sink = await startSmtpSink();
  transport = createMailTransport({
    smtpUrl: sink.url,
    outboxDir: "/nonexistent",
  });
  store = new SqliteDeliveryStore(t.db);
  workers = [];
  logger = recordingLogger();
});
afterEach(async () => {
  for (const w of workers) await w.stop();
  await transport.close();
  await sink.close();
  await t.cleanup();
});

function worker(options: Partial<WorkerOptions> = {}): DeliveryWorker {
  const w = startWorker({
    db: t.db,
    transport,
    mailFrom: MAIL_FROM,
    pollMs: 20,
    leaseMs: 10_000,
    backoff: { baseMs: 20, capMs: 40 },
    logger,
    ...options,
  });
  workers.push(w);
  return w;
}

/** Lets the worker run until the delivery reaches a final state (retries included). */
async function settle(w: DeliveryWorker, deliveryId: string) {
  for (let i = 0; i < 200; i++) {
    await w.drain();
    const row = await t.db.delivery.findUniqueOrThrow({
      where: { id: deliveryId },
    });
    if (["sent", "failed", "held"].includes(row.status)) return row;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`delivery ${deliveryId} never settled`);
}

async function queuedLetter(
  options: {
    mode?: "test" | "live";
    testInbox?: string | null;
    officeEmail?: string | null;
    confirmed?: boolean;
  } = {},
) {
  const campaign = await seedCampaign(t.db, {
    mode: options.mode ?? "live",
    testInbox: options.testInbox,
  });
  const office = await seedOffice(t.db, {
    email: options.officeEmail === undefined ? "letters@cantwell.example.gov" : options.officeEmail,
  });
  const letter = await seedLetter(t.db, {
    campaign,
    office,
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@supporters.example",
    confirmed: options.confirmed,
  });
  await store.enqueueForLetters([letter.id]);
  const delivery = await t.db.delivery.findFirstOrThrow({
    where: { letterId: letter.id },
  });
  return { campaign, office, letter, delivery };
}

const attemptsOf = (deliveryId: string) =>
  t.db.deliveryAttempt.findMany({
    where: { deliveryId },
    orderBy: { number: "asc" },
  });

describe("delivery worker", () => {
  it("sends a live letter to the office and records it", async () => {
    const { delivery, letter } = await queuedLetter();
    const w = worker({ workerId: "worker-1" });

    const row = await settle(w, delivery.id);
    const messageId = `<delivery.${delivery.id}@coalition.example>`;
    expect(row).toMatchObject({
      status: "sent",
      attempts: 1,
      messageId,
      sentTo: "letters@cantwell.example.gov",
      leaseOwner: null,
      lastError: null,
    });
    expect(row.sentAt).not.toBeNull();

    const attempts = await attemptsOf(delivery.id);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({
      number: 1,
      worker: "worker-1",
      outcome: "sent",
      messageId,
      recipient: "letters@cantwell.example.gov",
    });
    expect(attempts[0].response).toMatch(/^250 /);
    expect(attempts[0].finishedAt).not.toBeNull();

    expect(sink.received).toHaveLength(1);
    const { mail, envelope } = sink.received[0];
    expect(envelope.to).toEqual(["letters@cantwell.example.gov"]);
    expect(mail.messageId).toBe(messageId);
    expect(mail.from?.value[0]).toEqual({
      name: "Sincerely",
      address: "letters@coalition.example",
    });
    expect(mail.replyTo?.value[0]).toEqual({
      name: "Ada Lovelace",
      address: "ada@supporters.example",
    });
    expect(mail.to && !Array.isArray(mail.to) && mail.to.value[0].address).toBe("letters@cantwell.example.gov");
    expect(mail.subject).toBe(letter.subject);
    expect(mail.text?.trim()).toBe(letter.bodyText);
    expect(mail.html).toContain("Mine Ban Treaty");
    expect(mail.headers.get("x-sincerely-delivery")).toBe(delivery.id);
  });

  it("retries a 451 later with backoff, then delivers", async () => {
    const { delivery } = await queuedLetter();
    sink.refuse("letters@cantwell.example.gov", 451, "4.7.1 Greylisted, try again later", 1);
    // A backoff long enough that the test reads the waiting row before the retry, however busy the machine.
    const w = worker({ backoff: { baseMs: 1000, capMs: 1000 } });

    await w.drain();
    const waiting = await t.db.delivery.findUniqueOrThrow({
      where: { id: delivery.id },
    });
    const [first] = await attemptsOf(delivery.id);
    expect(waiting).toMatchObject({
      status: "queued",
      attempts: 1,
      leaseOwner: null,
    });
    expect(waiting.lastError).toContain("451 4.7.1 Greylisted");
    expect(first).toMatchObject({
      number: 1,
      outcome: "transient",
      messageId: `<delivery.${delivery.id}@coalition.example>`,
    });
    expect(first.response).toContain("451");
    // Not straight away: the retry waits at least the backoff base after the failure.
    expect(waiting.runAt.getTime()).toBeGreaterThanOrEqual(first.finishedAt!.getTime() + 20);

    const row = await settle(w, delivery.id);
    expect(row).toMatchObject({ status: "sent", attempts: 2 });
    expect((await attemptsOf(delivery.id)).map((a) => a.outcome)).toEqual(["transient", "sent"]);
    expect(sink.received).toHaveLength(1);
  });

  it("gives up at once on a 550 and records why", async () => {
    const { delivery } = await queuedLetter();
    sink.refuse("letters@cantwell.example.gov", 550, "5.1.1 Mailbox does not exist");
    const w = worker();

    const row = await settle(w, delivery.id);
    expect(row.status).toBe("failed");
    expect(row.lastError).toContain("550 5.1.1 Mailbox does not exist");
    await w.drain();
    const attempts = await attemptsOf(delivery.id);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ outcome: "permanent" });
  });

  it("fails after the last allowed attempt, with the last reason", async () => {
    const { delivery } = await queuedLetter();
    sink.refuse("letters@cantwell.example.gov", 421, "4.3.2 Service not available");
    const w = worker({ maxAttempts: 3 });

    const row = await settle(w, delivery.id);
    expect(row).toMatchObject({ status: "failed", attempts: 3 });
    expect(row.lastError).toMatch(/^Gave up after 3 attempts\. Last error: .*421 4\.3\.2 Service not available/);
    expect((await attemptsOf(delivery.id)).map((a) => [a.number, a.outcome])).toEqual([
      [1, "transient"],
      [2, "transient"],
      [3, "transient"],
    ]);
  });

  it("sends a test campaign's letters to its test inbox", async () => {
    const { delivery } = await queuedLetter({
      mode: "test",
      testInbox: "organizers@coalition.example",
    });
    const row = await settle(worker(), delivery.id);
    expect(row).toMatchObject({
      status: "sent",
      sentTo: "organizers@coalition.example",
    });
    expect(sink.received.map((r) => r.envelope.to)).toEqual([["organizers@coalition.example"]]);
  });

  it("sends every letter to MAIL_REDIRECT_TO when it is set", async () => {
    const { delivery } = await queuedLetter({
      mode: "live",
      officeEmail: null,
    });
    const row = await settle(worker({ redirectTo: "staging@coalition.example" }), delivery.id);
    expect(row).toMatchObject({
      status: "sent",
      sentTo: "staging@coalition.example",
    });
    expect(sink.received.map((r) => r.envelope.to)).toEqual([["staging@coalition.example"]]);
  });

  it("holds a live letter to an office with no e-mail address, saying why", async () => {
    const { delivery } = await queuedLetter({ officeEmail: null });
    const row = await settle(worker(), delivery.id);
    const reason =
      "The office of Senator Maria Cantwell has no e-mail address yet; the letter waits until an organizer adds one.";
    expect(row).toMatchObject({ status: "held", lastError: reason });
    expect(await attemptsOf(delivery.id)).toMatchObject([{ outcome: "held", response: reason }]);
    expect(sink.received).toHaveLength(0);

    // The organizer adds the address and re-drives the letter.
    await t.db.office.updateMany({
      data: { email: "letters@cantwell.example.gov" },
    });
    await store.requeue([delivery.id]);
    expect(await settle(workers[0], delivery.id)).toMatchObject({
      status: "sent",
      sentTo: "letters@cantwell.example.gov",
    });
  });

  it("never sends a letter whose supporter has not confirmed", async () => {
    const { delivery } = await queuedLetter({ confirmed: false });
    const row = await settle(worker(), delivery.id);
    expect(row.status).toBe("held");
    expect(row.lastError).toContain("not confirmed");
    expect(sink.received).toHaveLength(0);
  });

  it("sends a letter whose worker died mid-send once the lease runs out", async () => {
    const { delivery } = await queuedLetter();
    await store.claim({ workerId: "dead-worker", limit: 1, leaseMs: 1 });
    await new Promise((r) => setTimeout(r, 5));

    const row = await settle(worker({ workerId: "survivor" }), delivery.id);
    expect(row).toMatchObject({ status: "sent", attempts: 2 });
    expect(await attemptsOf(delivery.id)).toMatchObject([{ number: 2, worker: "survivor", outcome: "sent" }]);
  });

  it("on stop, finishes the letter in hand and gives back the rest of its batch", async () => {
    const deliveries = [await queuedLetter(), await queuedLetter(), await queuedLetter()].map((q) => q.delivery);
    let started!: () => void;
    const firstSendStarted = new Promise<void>((r) => (started = r));
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const gated: MailTransport = {
      kind: "smtp",
      async send(id, message) {
        started();
        await gate;
        return transport.send(id, message);
      },
      close: async () => {},
    };
    const w = worker({ transport: gated, batchSize: 10, workerId: "stopping" });

    await firstSendStarted;
    const stopped = w.stop();
    open();
    await stopped;

    const rows = await t.db.delivery.findMany({
      where: { id: { in: deliveries.map((d) => d.id) } },
    });
    expect(rows.filter((r) => r.status === "sent")).toHaveLength(1);
    const released = rows.filter((r) => r.status !== "sent");
    expect(released).toHaveLength(2);
    for (const r of released)
      expect(r).toMatchObject({
        status: "queued",
        attempts: 0,
        leaseOwner: null,
      });
    expect(sink.received).toHaveLength(1);
    expect(await t.db.deliveryAttempt.count()).toBe(1);
  });

  it("sends up to `concurrency` letters of a batch side by side, never more, and each settles its own claim", async () => {
    const deliveries = [];
    for (let i = 0; i < 7; i++) deliveries.push((await queuedLetter()).delivery);
    let inFlight = 0;
    let most = 0;
    // The first three sends wait for one another: a worker sending one letter at a time would
    // never get past the first.
    let allThree!: () => void;
    const threeAtOnce = new Promise<void>((r) => (allThree = r));
    const counting: MailTransport = {
      kind: "smtp",
      async send(id, message) {
        inFlight += 1;
        most = Math.max(most, inFlight);
        if (inFlight === 3) allThree();
        await threeAtOnce;
        try {
          return await transport.send(id, message);
        } finally {
          inFlight -= 1;
        }
      },
      close: async () => {},
    };
    const w = worker({ transport: counting, batchSize: 10, concurrency: 3 });
    await w.drain();

    expect(most).toBe(3);
    const rows = await t.db.delivery.findMany({ where: { id: { in: deliveries.map((d) => d.id) } } });
    expect(rows.map((r) => r.status)).toEqual(Array(7).fill("sent"));
    expect(sink.received).toHaveLength(7);
    expect(await t.db.deliveryAttempt.count({ where: { outcome: "sent" } })).toBe(7);
  });

  it("on stop with letters side by side, finishes every letter in hand and gives back the rest", async () => {
    const deliveries = [];
    for (let i = 0; i < 5; i++) deliveries.push((await queuedLetter()).delivery);
    let inFlight = 0;
    let twoStarted!: () => void;
    const bothStarted = new Promise<void>((r) => (twoStarted = r));
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const gated: MailTransport = {
      kind: "smtp",
      async send(id, message) {
        if (++inFlight === 2) twoStarted();
        await gate;
        return transport.send(id, message);
      },
      close: async () => {},
    };
    const w = worker({ transport: gated, batchSize: 10, concurrency: 2, workerId: "stopping-two" });

    await bothStarted;
    const stopped = w.stop();
    open();
    await stopped;

    const rows = await t.db.delivery.findMany({ where: { id: { in: deliveries.map((d) => d.id) } } });
    expect(rows.filter((r) => r.status === "sent")).toHaveLength(2);
    const released = rows.filter((r) => r.status !== "sent");
    expect(released).toHaveLength(3);
    for (const r of released) expect(r).toMatchObject({ status: "queued", attempts: 0, leaseOwner: null });
    expect(sink.received).toHaveLength(2);
  });

  it("records a sent letter once the database answers again, and never sends it twice", async () => {
    const { delivery } = await queuedLetter();
    // The database refuses the outcome twice right after the letter went out (PostgreSQL aborting a
    // transaction in a lock conflict, a dropped connection): giving up there would leave the claim
    // to expire and the letter to be sent again by the next claimer.
    let refusals = 2;
    const flaky = Object.create(store) as SqliteDeliveryStore;
    flaky.recordSent = async (...args) => {
      if (refusals-- > 0) throw new Error("deadlock detected");
      return store.recordSent(...args);
    };
    const row = await settle(worker({ store: flaky }), delivery.id);
    expect(row).toMatchObject({ status: "sent", attempts: 1, leaseOwner: null });
    // Claimed again after the lease would have run out: still one letter at the office.
    await store.claim({ workerId: "later", limit: 10, leaseMs: 10_000, now: new Date(Date.now() + 60_000) });
    expect(await t.db.delivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "sent" });
    expect(sink.received).toHaveLength(1);
    expect(
      logger.lines.filter((l) => l.level === "warn" && /could not record the sending/.test(l.message)),
    ).toHaveLength(2);
  });

  it("keeps going after a database error", async () => {
    const { delivery } = await queuedLetter();
    let failures = 1;
    const flaky = Object.create(store) as SqliteDeliveryStore;
    flaky.claim = async (options) => {
      if (failures-- > 0) throw new Error("SQLITE_BUSY: database is locked");
      return store.claim(options);
    };
    const row = await settle(worker({ store: flaky }), delivery.id);
    expect(row.status).toBe("sent");
    expect(logger.lines.some((l) => l.level === "error" && String(l.details?.error).includes("SQLITE_BUSY"))).toBe(
      true,
    );
  });
});

describe("supporter e-mails", () => {
  async function pendingSignature() {
    const { letter } = await queuedLetter({ confirmed: false });
    return t.db.signature.findUniqueOrThrow({ where: { id: letter.signatureId }, include: { campaign: true } });
  }

  it("sends a queued confirmation before the letters, with its link, and keeps only the token's hash", async () => {
    const signature = await pendingSignature();
    const queued = newConfirmation(contentOf(signature.campaign, ["Senator Maria Cantwell"]), new Date());
    await t.db.signature.update({
      where: { id: signature.id },
      data: { tokens: { create: queued.token }, emails: { create: queued.email } },
    });
    const w = worker();
    await w.drain();

    const confirmation = sink.received.find((r) => r.envelope.to.includes("ada@supporters.example"));
    expect(confirmation, "the supporter got their confirmation").toBeDefined();
    const link = /\/confirm\/([A-Za-z0-9_-]+)/.exec(String(confirmation!.mail.text));
    expect(link).not.toBeNull();
    expect(String(confirmation!.mail.text)).toContain("Senator Maria Cantwell");
    const [email] = await t.db.supporterEmail.findMany({ where: { signatureId: signature.id } });
    expect(email).toMatchObject({ status: "sent", attempts: 1, token: null, leaseOwner: null });
    expect(confirmation!.mail.messageId).toBe(`<supporter-email.${email.id}@coalition.example>`);
    // The link is the one whose hash is stored.
    const stored = await t.db.confirmationToken.findFirstOrThrow({ where: { signatureId: signature.id } });
    expect(stored.tokenHash).toBe(hashToken(link![1]));
  });

  it("fails, with the reason, an e-mail that cannot be written, and goes on with the others", async () => {
    const signature = await pendingSignature();
    const content = contentOf(signature.campaign, ["Senator Maria Cantwell"]);
    // A confirmation whose token is gone (as erasure leaves one that was being sent).
    await t.db.supporterEmail.create({ data: { signatureId: signature.id, kind: "confirmation", content } });
    await t.db.supporterEmail.create({ data: { signatureId: signature.id, kind: "already_signed", content } });
    await worker().drain();
    const emails = await t.db.supporterEmail.findMany({
      where: { signatureId: signature.id },
      orderBy: { kind: "asc" },
    });
    expect(emails.map((e) => [e.kind, e.status])).toEqual([
      ["already_signed", "sent"],
      ["confirmation", "failed"],
    ]);
    expect(emails[1].lastError).toMatch(/without its token/);
  });

  it("sends a round's e-mails side by side, one per connection of the pool", async () => {
    const signature = await pendingSignature();
    const content = contentOf(signature.campaign, []);
    for (let i = 0; i < 3; i++) {
      await t.db.supporterEmail.create({ data: { signatureId: signature.id, kind: "already_signed", content } });
    }
    let inFlight = 0;
    let most = 0;
    let release!: () => void;
    const twoAtOnce = new Promise<void>((r) => (release = r));
    const gated: MailTransport = {
      kind: "smtp",
      async send(id, message) {
        most = Math.max(most, ++inFlight);
        // The first e-mail is held until a second is under way: one at a time, this never ends (and
        // the test fails on its timeout, the only clock here).
        if (inFlight === 2) release();
        await twoAtOnce;
        try {
          return await transport.send(id, message);
        } finally {
          inFlight -= 1;
        }
      },
      close: async () => {},
    };
    await worker({ transport: gated, concurrency: 2 }).drain();
    expect(most).toBe(2);
    const emails = await t.db.supporterEmail.findMany({ where: { signatureId: signature.id } });
    expect(emails.map((e) => e.status)).toEqual(["sent", "sent", "sent"]);
    expect(sink.received).toHaveLength(3);
  });

  it("finishes a round's other e-mails when the database fails one, and leaves that one to its lease", async () => {
    const signature = await pendingSignature();
    const content = contentOf(signature.campaign, []);
    for (let i = 0; i < 3; i++) {
      await t.db.supporterEmail.create({ data: { signatureId: signature.id, kind: "already_signed", content } });
    }
    const [first] = await t.db.supporterEmail.findMany({ orderBy: [{ runAt: "asc" }, { id: "asc" }] });
    // The database refuses to record the first one's outcome (a real refusal, from a trigger).
    await t.db.$executeRawUnsafe(`
      CREATE TRIGGER refuse_one BEFORE UPDATE OF "status" ON "SupporterEmail"
      WHEN NEW."id" = '${first.id}' AND NEW."status" = 'sent'
      BEGIN SELECT RAISE(ABORT, 'database is unavailable'); END`);
    const round = sendDueSupporterEmails(t.db, {
      transport,
      mailFrom: MAIL_FROM,
      workerId: "round",
      limit: 10,
      leaseMs: 10_000,
      backoff: { baseMs: 20, capMs: 40 },
      logger,
      concurrency: 2,
    });
    // Thrown once the round is over, so that the worker backs off as for any database error.
    await expect(round).rejects.toThrow(/database is unavailable/);
    const emails = await t.db.supporterEmail.findMany({ where: { signatureId: signature.id } });
    expect(emails.filter((e) => e.status === "sent")).toHaveLength(2);
    expect(emails.find((e) => e.id === first.id)).toMatchObject({ status: "sending", leaseOwner: "round" });
  });

  it("cancels the e-mail of a supporter who erased their data before it went", async () => {
    const signature = await pendingSignature();
    await emailSupporter(t.db, signature, "already_signed", contentOf(signature.campaign, []));
    await t.db.signature.update({ where: { id: signature.id }, data: { erasedAt: new Date() } });
    await worker().drain();
    expect(sink.received.filter((r) => r.envelope.to.includes("ada@supporters.example"))).toHaveLength(0);
    expect(await t.db.supporterEmail.findFirstOrThrow({ where: { signatureId: signature.id } })).toMatchObject({
      status: "cancelled",
    });
  });
});
