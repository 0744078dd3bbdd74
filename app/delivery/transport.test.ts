import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { afterEach, describe, expect, it } from "vitest";
import { buildLetterMessage } from "./message.server";
import { startSmtpSink, type SmtpSink } from "../../test/fakes/smtp";
import { createMailTransport, type MailTransport } from "./transport.server";

const message = (deliveryId: string, to = "letters@cantwell.example.gov") =>
  buildLetterMessage(
    {
      deliveryId,
      letter: {
        id: "l1",
        subject: "Ban landmines and cluster munitions",
        bodyText: "Dear Senator Cantwell,\n\nPlease support accession to the Mine Ban Treaty.",
        bodyHtml: "<p>Dear Senator Cantwell,</p><p>Please support accession to the Mine Ban Treaty.</p>",
      },
      supporter: {
        firstName: "Ada",
        lastName: "Lovelace",
        email: "ada@supporters.example",
        confirmed: true,
      },
    },
    { mailFrom: "Sincerely <letters@coalition.example>", to },
  );

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

describe("outbox transport", () => {
  it("writes each letter as a .eml file named after its delivery, readable as an e-mail", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sincerely-outbox-"));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const transport = createMailTransport({ outboxDir: join(dir, "outbox") });
    expect(transport.kind).toBe("outbox");

    const sent = await transport.send("dlvA1", message("dlvA1"));
    // A retry of the same delivery replaces the file rather than adding another.
    await transport.send("dlvA1", message("dlvA1"));

    expect(readdirSync(join(dir, "outbox"))).toEqual(["dlvA1.eml"]);
    const raw = readFileSync(join(dir, "outbox", "dlvA1.eml"));
    expect(raw.includes("\r\n")).toBe(true);
    const mail = await simpleParser(raw);
    expect(mail.messageId).toBe("<delivery.dlvA1@coalition.example>");
    expect(sent).toMatchObject({
      messageId: "<delivery.dlvA1@coalition.example>",
      recipient: "letters@cantwell.example.gov",
    });
    expect(sent.response).toContain("dlvA1.eml");
    expect(mail.subject).toBe("Ban landmines and cluster munitions");
    expect(mail.replyTo?.value[0]).toMatchObject({
      name: "Ada Lovelace",
      address: "ada@supporters.example",
    });
    expect(mail.text).toContain("Mine Ban Treaty");
    expect(mail.headers.get("x-sincerely-delivery")).toBe("dlvA1");
    await transport.close();
  });
});

describe("SMTP transport", () => {
  let sink: SmtpSink;
  let transport: MailTransport;

  it("hands the letter to the SMTP server and reports its reply", async () => {
    sink = await startSmtpSink();
    transport = createMailTransport({
      smtpUrl: sink.url,
      outboxDir: "/nonexistent",
    });
    cleanup.push(
      () => sink.close(),
      () => transport.close(),
    );
    expect(transport.kind).toBe("smtp");

    const sent = await transport.send("dlvB2", message("dlvB2"));
    expect(sent.messageId).toBe("<delivery.dlvB2@coalition.example>");
    expect(sent.recipient).toBe("letters@cantwell.example.gov");
    expect(sent.response).toMatch(/^250 /);
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0].envelope).toEqual({
      from: "letters@coalition.example",
      to: ["letters@cantwell.example.gov"],
    });
  });

  it("sends many letters over a few pooled connections, never more than the pool's five", async () => {
    sink = await startSmtpSink();
    transport = createMailTransport({
      smtpUrl: sink.url,
      outboxDir: "/nonexistent",
    });
    cleanup.push(
      () => sink.close(),
      () => transport.close(),
    );

    // Thirty at once, as a worker's lanes hand them over, then ten more one after another.
    const ids = Array.from({ length: 40 }, (_, i) => `dlvPool${i}`);
    await Promise.all(ids.slice(0, 30).map((id) => transport.send(id, message(id))));
    for (const id of ids.slice(30)) await transport.send(id, message(id));

    expect(sink.received.map((r) => r.mail.headers.get("x-sincerely-delivery")).sort()).toEqual([...ids].sort());
    // One connection per message would be forty: a handshake each, and a server seeing a burst.
    expect(sink.connections).toBeGreaterThanOrEqual(1);
    expect(sink.connections).toBeLessThanOrEqual(5);
  });

  it("throws the server's refusal with its reply code", async () => {
    sink = await startSmtpSink();
    transport = createMailTransport({
      smtpUrl: sink.url,
      outboxDir: "/nonexistent",
    });
    cleanup.push(
      () => sink.close(),
      () => transport.close(),
    );
    sink.refuse("nobody@cantwell.example.gov", 550, "5.1.1 No such mailbox");

    await expect(transport.send("dlvC3", message("dlvC3", "nobody@cantwell.example.gov"))).rejects.toMatchObject({
      responseCode: 550,
    });
    expect(sink.received).toHaveLength(0);
  });
});
