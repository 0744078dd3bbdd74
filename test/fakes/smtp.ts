// A real SMTP server on 127.0.0.1 for tests: it records what it receives and can refuse chosen
// recipients, answer "try later", be slow, or go away and come back.
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  mail: ParsedMail;
}

export interface SmtpSink {
  url: string;
  received: ReceivedMail[];
  /** How many connections clients have opened to the server so far. */
  readonly connections: number;
  /** Answer RCPT TO for this address with `code message`, the next `times` times (default: always). */
  refuse(address: string, code: number, message: string, times?: number): void;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const refusals = new Map<string, { code: number; message: string; left: number }>();
  let connections = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onRcptTo(address, _session, callback) {
      const rule = refusals.get(address.address.toLowerCase());
      if (rule && rule.left > 0) {
        rule.left -= 1;
        const error = Object.assign(new Error(rule.message), {
          responseCode: rule.code,
        });
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
              to: session.envelope.rcptTo.map((r) => r.address),
            },
            mail,
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  server.on("error", (error: NodeJS.ErrnoException) => {
    // A client that went away mid-session; anything else is a real failure of the sink.
    if (error.code !== "ECONNRESET" && error.code !== "EPIPE") throw error;
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    get connections() {
      return connections;
    },
    refuse(address, code, message, times = Number.POSITIVE_INFINITY) {
      refusals.set(address.toLowerCase(), { code, message, left: times });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ArrivedLetter {
  deliveryId: string;
  messageId: string;
  to: string[];
}

/**
 * A real SMTP server for the queue's guarantee tests, which can misbehave on purpose:
 * answer 451 to a share of messages, refuse an address with 5xx, or be away for a while
 * (its port closed and every open connection cut) and come back on the same port.
 */
export interface FaultySmtpSink {
  url: string;
  /** Every message accepted, in order of arrival (duplicates included). */
  arrived: ArrivedLetter[];
  /** Answer `451` at the end of DATA to this share (0…1) of messages; a message is refused at most `maxPerLetter` times. */
  failTransiently(share: number, maxPerLetter?: number): void;
  /** Refuse this recipient at RCPT TO, every time. */
  refuse(address: string, code: number, message: string): void;
  /** Accept this recipient again. */
  accept(address: string): void;
  /** Wait this long before accepting each message, so that workers hold letters in flight. */
  delayEachMessage(ms: number): void;
  /** Closes the port and cuts every connection. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  readonly transientRefusals: number;
  close(): Promise<void>;
}

export async function startFaultySmtpSink(): Promise<FaultySmtpSink> {
  const arrived: ArrivedLetter[] = [];
  const refusals = new Map<string, { code: number; message: string }>();
  const refusedPerLetter = new Map<string, number>();
  let transientShare = 0;
  let maxTransientPerLetter = 4;
  let transientRefusals = 0;
  let delayMs = 0;
  let port = 0;
  let server: SMTPServer | undefined;
  const sockets = new Set<import("node:net").Socket>();

  const header = (raw: string, name: string) =>
    new RegExp(`^${name}:\\s*(.+)$`, "im").exec(raw.slice(0, raw.indexOf("\r\n\r\n")))?.[1]?.trim() ?? "";

  // Which listening period a connection belongs to: a message whose connection was cut while the
  // sink "took its time" was never acknowledged, so it does not count as arrived.
  let generation = 0;

  function create() {
    const mine = generation;
    return new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onRcptTo(address, _session, callback) {
        const rule = refusals.get(address.address.toLowerCase());
        if (rule) return callback(Object.assign(new Error(rule.message), { responseCode: rule.code }));
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          const deliveryId = header(raw, "X-Sincerely-Delivery");
          const refusedSoFar = refusedPerLetter.get(deliveryId) ?? 0;
          if (transientShare > 0 && refusedSoFar < maxTransientPerLetter && Math.random() < transientShare) {
            refusedPerLetter.set(deliveryId, refusedSoFar + 1);
            transientRefusals += 1;
            return callback(
              Object.assign(new Error("4.7.1 Greylisted, please try again later"), { responseCode: 451 }),
            );
          }
          setTimeout(() => {
            if (mine !== generation) return callback(new Error("server stopped"));
            arrived.push({
              deliveryId,
              messageId: header(raw, "Message-ID"),
              to: session.envelope.rcptTo.map((r) => r.address),
            });
            callback();
          }, delayMs);
        });
      },
    });
  }

  async function start() {
    server = create();
    server.server.on("connection", (socket: import("node:net").Socket) => {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server!.once("error", reject);
      server!.listen(port, "127.0.0.1", () => resolve());
    });
    port = (server.server.address() as AddressInfo).port;
    // Clients that die mid-session (the tests SIGKILL workers) reset their connections; smtp-server
    // reports each as an "error" event, which would otherwise be an uncaught exception here.
    server.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "ECONNRESET" && error.code !== "EPIPE") throw error;
    });
  }

  async function stop() {
    const current = server;
    server = undefined;
    if (!current) return;
    generation += 1;
    const closed = new Promise<void>((resolve) => current.server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  }

  await start();
  return {
    url: `smtp://127.0.0.1:${port}`,
    arrived,
    failTransiently(share, maxPerLetter = 4) {
      transientShare = share;
      maxTransientPerLetter = maxPerLetter;
    },
    refuse(address, code, message) {
      refusals.set(address.toLowerCase(), { code, message });
    },
    accept(address) {
      refusals.delete(address.toLowerCase());
    },
    delayEachMessage(ms) {
      delayMs = ms;
    },
    stop,
    start,
    get transientRefusals() {
      return transientRefusals;
    },
    close: stop,
  };
}
