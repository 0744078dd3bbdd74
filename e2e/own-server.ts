// A server of a spec's own, beside the suite's (e2e/global-setup.ts), for what needs another
// configuration: the built app through server/index.ts on its own port, with a SQLite file of its
// own in a temporary folder (so that its queue is not the suite server's, whose worker would send
// its mail). Resolves once the home page answers and `ready` holds for what it has printed.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface OwnServer {
  base: string;
  /** The server's temporary folder (its database; an outbox folder a spec puts there). */
  dir: string;
  child: ChildProcess;
  /** What it has printed so far. */
  output(): string;
  /** Stops it (SIGTERM) if still running, and removes its folder. */
  stop(): Promise<void>;
}

export async function startOwnServer(options: {
  name: string;
  port: number;
  env: (dir: string) => Record<string, string | undefined>;
  ready?: (output: string) => boolean;
}): Promise<OwnServer> {
  const dir = mkdtempSync(join(tmpdir(), `sincerely-e2e-${options.name}-`));
  const base = `http://127.0.0.1:${options.port}`;
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      SESSION_SECRET: `e2e-${options.name}-session-secret-long-enough-0123456789`,
      PORT: String(options.port),
      DATABASE_URL: `file:${join(dir, "app.db")}`,
      APP_URL: base,
      ...options.env(dir),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/`)).ok && (options.ready?.(output) ?? true)) break;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the ${options.name} app did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    base,
    dir,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
