// Sends the supporter e-mails a test queued, through the real sending code and the process's
// transport (the outbox folder the tests point OUTBOX_DIR at, unless they swap it), as the
// worker would: what the supporter would find in their inbox once the worker came round.
import { sendDueSupporterEmails } from "~/delivery/supporter-email/queue.server";
import type { Db } from "~/db/client.server";
import type { BackoffOptions } from "~/delivery/errors.server";
import { env } from "~/env.server";
import { mailTransport } from "~/services.server";

export async function sendQueuedSupporterEmails(
  db: Db,
  options: { backoff?: BackoffOptions; log?: string[] } = {},
): Promise<number> {
  const log = options.log ?? [];
  const logger = {
    info: (message: string) => void log.push(message),
    warn: (message: string) => void log.push(message),
  };
  let total = 0;
  for (;;) {
    const claimed = await sendDueSupporterEmails(db, {
      transport: mailTransport(),
      mailFrom: env().MAIL_FROM,
      workerId: "test-worker",
      limit: 50,
      leaseMs: 60_000,
      backoff: options.backoff ?? { baseMs: 60_000, capMs: 60_000 },
      logger,
    });
    if (claimed === 0) return total;
    total += claimed;
  }
}
