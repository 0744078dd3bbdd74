// A real SMTP server in its own process for the benchmark: accepts every message, counts them and
// their Message-IDs (so duplicates show), and reports the counts over a small HTTP endpoint.
// Prints one JSON line on start: {"smtpPort": …, "statsPort": …}.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

let received = 0;
const ids = new Set<string>();
let duplicates = 0;
let firstAt = 0;
let lastAt = 0;

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  size: 1024 * 1024,
  onData(stream, _session, callback) {
    // Only the headers matter here; read just enough of the message to find its Message-ID.
    let head = "";
    stream.on("data", (chunk: Buffer) => {
      if (head.length < 8192) head += chunk.toString("latin1");
    });
    stream.on("end", () => {
      const id = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1];
      if (id) {
        if (ids.has(id)) duplicates += 1;
        else ids.add(id);
      }
      received += 1;
      lastAt = Date.now();
      if (received === 1) firstAt = lastAt;
      callback();
    });
  },
});

// A worker stopped mid-session resets its connections; that is not the sink's failure.
smtp.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "ECONNRESET" && error.code !== "EPIPE") throw error;
});

smtp.listen(0, "127.0.0.1", () => {
  const stats = createServer((req, res) => {
    if (req.url === "/reset") {
      received = 0;
      duplicates = 0;
      ids.clear();
      firstAt = 0;
      lastAt = 0;
    }
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify({ received, unique: ids.size, duplicates, firstAt, lastAt }));
  });
  stats.listen(0, "127.0.0.1", () => {
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    const statsPort = (stats.address() as AddressInfo).port;
    process.stdout.write(JSON.stringify({ smtpPort, statsPort }) + "\n");
  });
});

process.on("SIGTERM", () => smtp.close(() => process.exit(0)));
