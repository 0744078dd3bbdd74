// A real SMTP server for the end-to-end tests: it accepts every message and keeps each one
// as an .eml file, which the tests read back with mailparser.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export async function startMailSink(dir: string): Promise<{ port: number; close(): Promise<void> }> {
  mkdirSync(dir, { recursive: true });
  let seq = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    // A mailbox that does not exist, for tests of failed deliveries: "refuse-…@" is refused for good.
    onRcptTo(address, _session, callback) {
      if (address.address.toLowerCase().startsWith("refuse-")) {
        return callback(Object.assign(new Error("5.1.1 No such mailbox"), { responseCode: 550 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const name = `${Date.now()}-${String(++seq).padStart(6, "0")}.eml`;
        const rcpt = session.envelope.rcptTo.map((r) => r.address).join(",");
        writeFileSync(join(dir, name), Buffer.concat([Buffer.from(`X-Envelope-To: ${rcpt}\r\n`), ...chunks]));
        callback(null, `Queued as ${name}`);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  // The app stopped mid-session (end of the run) resets its connections; that is not a failure.
  server.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "ECONNRESET" && error.code !== "EPIPE") throw error;
  });
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface CapturedMail {
  file: string;
  envelopeTo: string;
  parsed: ParsedMail;
}

export async function readMailbox(dir: string): Promise<CapturedMail[]> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".eml"))
    .sort();
  return Promise.all(
    files.map(async (file) => {
      const raw = readFileSync(join(dir, file));
      const parsed = await simpleParser(raw);
      return { file, envelopeTo: String(parsed.headers.get("x-envelope-to") ?? ""), parsed };
    }),
  );
}
