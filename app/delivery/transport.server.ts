// How letters leave: a pooled SMTP connection when SMTP_URL is set, otherwise `.eml` files in the
// outbox folder, so a fresh install never e-mails a real office by accident.
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import nodemailer, { type SendMailOptions } from "nodemailer";

export interface SentLetter {
  messageId: string;
  /** The SMTP server's final reply, or where the outbox file was written. */
  response: string;
  recipient: string;
}

export interface MailTransport {
  readonly kind: "smtp" | "outbox";
  /** Sends one delivery's message; throws nodemailer's error when it is refused. */
  send(deliveryId: string, message: SendMailOptions): Promise<SentLetter>;
  close(): Promise<void>;
}

export function createMailTransport(options: { smtpUrl?: string; outboxDir: string }): MailTransport {
  return options.smtpUrl ? smtpTransport(options.smtpUrl) : outboxTransport(options.outboxDir);
}

function firstRecipient(message: SendMailOptions, accepted: unknown[] | undefined): string {
  const first = accepted?.[0];
  if (typeof first === "string") return first;
  if (first && typeof first === "object" && "address" in first) return String(first.address);
  return typeof message.to === "string" ? message.to : JSON.stringify(message.to ?? "");
}

function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport({
    pool: true,
    url,
    // Shorter than nodemailer's minutes-long defaults: a hung server should cost one retry,
    // not hold the worker (and its lease) for ten minutes.
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  return {
    kind: "smtp",
    async send(_deliveryId, message) {
      const info = await transporter.sendMail(message);
      return {
        messageId: info.messageId,
        response: info.response,
        recipient: firstRecipient(message, info.accepted),
      };
    },
    async close() {
      transporter.close();
    },
  };
}

/**
 * The outbox file of one message: named after the id it was sent under (a delivery's id,
 * `supporter-<id>`, `erasure-<id>` …), so whoever knows that id can find the file again.
 */
export function outboxFileName(sendId: string): string {
  return `${sendId.replace(/[^A-Za-z0-9_-]/g, "_")}.eml`;
}

function outboxTransport(dir: string): MailTransport {
  const outbox = resolve(dir);
  // CRLF line ends: an .eml file is an RFC 5322 message, and mail clients open it as one.
  const transporter = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: "windows",
  });
  return {
    kind: "outbox",
    async send(deliveryId, message) {
      const info = await transporter.sendMail(message);
      await mkdir(outbox, { recursive: true });
      const file = join(outbox, outboxFileName(deliveryId));
      // Write then rename, so whoever browses the outbox never sees half a letter; a retry of
      // the same delivery replaces its file instead of adding a second one.
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      try {
        await writeFile(tmp, info.message as Buffer);
        await rename(tmp, file);
      } catch (error) {
        await rm(tmp, { force: true });
        throw error;
      }
      return {
        messageId: info.messageId,
        response: `Written to the outbox: ${file}`,
        recipient: firstRecipient(message, info.envelope?.to),
      };
    },
    async close() {},
  };
}
