// Starts a real SMTP server and the app with `npm start` (which builds it first) in its own
// process, on a fresh SQLite file with the worker inline, once for the suite; tears both
// down afterwards.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { E2E_PORT } from "../playwright.config";
import { ADMIN, TEST_INBOX } from "./helpers";
import { startMailSink } from "./mail-sink";

export default async function globalSetup() {
  const dir = mkdtempSync(join(tmpdir(), "sincerely-e2e-"));
  const mailDir = join(dir, "mail");
  const sink = await startMailSink(mailDir);
  process.env.E2E_MAIL_DIR = mailDir;
  // For specs that start a server of their own and read its mail here too.
  process.env.E2E_SMTP_URL = `smtp://127.0.0.1:${sink.port}`;
  // E2E_DATABASE=postgresql: the same suite on a fresh PostgreSQL database (CI runs both).
  const postgres = process.env.E2E_DATABASE === "postgresql" ? await createPostgresDatabase() : undefined;
  const databaseUrl = postgres?.url ?? `file:${join(dir, "e2e.db")}`;
  // The attack specs read the database to prove that refused posts stored nothing (e2e/app-db.ts).
  process.env.E2E_DATABASE_URL = databaseUrl;

  // Through `npm start`, the README's command (it builds, migrates, seeds, serves).
  const app = spawn("npm", ["start"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      SESSION_SECRET: "e2e-session-secret-that-is-long-enough-0123456789",
      // The specs act as many clients (X-Forwarded-For) so that per-address limits can be tested
      // without one spec's posts throttling another's.
      TRUST_PROXY: "1",
      PORT: String(E2E_PORT),
      DATABASE_URL: databaseUrl,
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      MAIL_FROM: "Sincerely Test <letters@sincerely.test>",
      APP_URL: `http://127.0.0.1:${E2E_PORT}`,
      OUTBOX_DIR: join(dir, "outbox"),
      WORKER: "inline",
      WORKER_POLL_MS: "200",
      MAIL_REDIRECT_TO: "",
      TEST_INBOX,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  app.stdout.on("data", (c: Buffer) => (output += c.toString()));
  app.stderr.on("data", (c: Buffer) => (output += c.toString()));

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (app.exitCode !== null) throw new Error(`The app exited during start-up:\n${output}`);
    try {
      const res = await fetch(`http://127.0.0.1:${E2E_PORT}/`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      app.kill("SIGKILL");
      throw new Error(`The app did not start within 120 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return async () => {
    app.kill("SIGTERM");
    await new Promise((r) => app.once("exit", r));
    await sink.close();
    await postgres?.drop();
    if (process.env.E2E_KEEP !== "1") rmSync(dir, { recursive: true, force: true });
  };
}

async function createPostgresDatabase() {
  const server = process.env.PG_TEST_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const name = `sincerely_e2e_${randomBytes(6).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
