// Process-wide services built from the environment: the mail transport (SMTP or the outbox).
import { createMailTransport, type MailTransport } from "~/delivery/transport.server";
import { env } from "~/env.server";

const globalForServices = globalThis as unknown as { __sincerelyMail?: MailTransport };

/** Shared across the server and the Remix build (both module graphs see one transport). */
export function mailTransport(): MailTransport {
  const e = env();
  globalForServices.__sincerelyMail ??= createMailTransport({ smtpUrl: e.SMTP_URL, outboxDir: e.OUTBOX_DIR });
  return globalForServices.__sincerelyMail;
}
