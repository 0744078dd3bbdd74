// The outbox folder, for organizers: with no SMTP server configured, every e-mail the app
// would have sent is an .eml file here, newest first. Erasure deletes a supporter's files from it.
import { readdir, readFile, stat, unlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import { simpleParser } from "mailparser";
import { outboxFileName } from "./transport.server";

/** Only names the outbox transport writes; nothing else in the folder can be read through this. */
const EML_NAME = /^[A-Za-z0-9_-]+\.eml$/;

export interface OutboxEntry {
  file: string;
  to: string;
  subject: string;
  date: string;
}

export async function listOutbox(dir: string, limit = 200): Promise<{ total: number; entries: OutboxEntry[] }> {
  const outbox = resolve(dir);
  let names: string[];
  try {
    names = (await readdir(outbox)).filter((n) => EML_NAME.test(n));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { total: 0, entries: [] };
    throw error;
  }
  const withTimes = await Promise.all(
    names.map(async (file) => ({ file, mtime: (await stat(join(outbox, file))).mtimeMs })),
  );
  withTimes.sort((a, b) => b.mtime - a.mtime);
  const entries = await Promise.all(
    withTimes.slice(0, limit).map(async ({ file, mtime }) => {
      const mail = await simpleParser(await readFile(join(outbox, file)), { skipHtmlToText: true });
      return {
        file,
        to: mail.to
          ? [mail.to]
              .flat()
              .map((a) => a.text)
              .join(", ")
          : "",
        subject: mail.subject ?? "(no subject)",
        date: (mail.date ?? new Date(mtime)).toISOString(),
      };
    }),
  );
  return { total: names.length, entries };
}

export async function readOutboxMessage(dir: string, file: string) {
  if (!EML_NAME.test(file)) return null;
  let raw: Buffer;
  try {
    raw = await readFile(join(resolve(dir), file));
  } catch {
    return null;
  }
  const mail = await simpleParser(raw);
  return {
    file,
    from: mail.from?.text ?? "",
    to: mail.to
      ? [mail.to]
          .flat()
          .map((a) => a.text)
          .join(", ")
      : "",
    replyTo: mail.replyTo?.text ?? "",
    subject: mail.subject ?? "",
    messageId: mail.messageId ?? "",
    date: mail.date?.toISOString() ?? "",
    text: mail.text ?? "",
  };
}

/**
 * Deletes the files of these messages (by the ids they were sent under) from the outbox, where
 * they exist; nothing else is touched. Tries every one, then throws if any could not be deleted.
 * Resolves with how many files there were.
 */
export async function deleteOutboxMessages(dir: string, sendIds: Iterable<string>): Promise<number> {
  const outbox = resolve(dir);
  let deleted = 0;
  const failures: Error[] = [];
  for (const id of new Set(sendIds)) {
    try {
      await unlink(join(outbox, outboxFileName(id)));
      deleted++;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") failures.push(error as Error);
    }
  }
  if (failures.length > 0) {
    throw new AggregateError(failures, `could not delete ${failures.map((f) => f.message).join("; ")}`);
  }
  return deleted;
}
