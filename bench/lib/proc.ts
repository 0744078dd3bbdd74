// Child processes for the benchmark: the production server, workers, the SMTP sink and the load
// generator each run in their own process, as they would in a deployment.
import { execFileSync, spawn, type ChildProcessByStdio } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import type { Readable } from "node:stream";

export type Child = ChildProcessByStdio<null, Readable, Readable> & { output(): string };

/** Extra environment for a child; it inherits the rest of ours. */
export type ChildEnv = Record<string, string | undefined>;

const TSX = "node_modules/.bin/tsx";

/**
 * Starts `tsx <script> …args` with the given environment; output is kept for error messages. With
 * `nodeOptions` (flags Node refuses in NODE_OPTIONS, such as --cpu-prof; an empty list is fine) it
 * runs `node <options> --import tsx <script>` instead: one process, so the flags apply to the
 * script itself and the child's pid is the script's (see cpuMs).
 */
export function startTsx(script: string, args: string[], env: ChildEnv, nodeOptions?: string[]): Child {
  const [command, commandArgs] = nodeOptions
    ? [process.execPath, [...nodeOptions, "--import", "tsx", script, ...args]]
    : [TSX, [script, ...args]];
  const child = spawn(command, commandArgs, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  return Object.assign(child, { output: () => output });
}

/** Runs a tsx script to its end and parses the JSON line it prints last. */
export async function runTsxJson<T>(script: string, args: string[], env: ChildEnv = {}): Promise<T> {
  const child = startTsx(script, args, env);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const lines = child.output().trim().split("\n");
  if (code !== 0) throw new Error(`${script} exited with ${code}:\n${child.output()}`);
  return JSON.parse(lines[lines.length - 1]) as T;
}

/** The first JSON line a child prints (how the sink tells its ports). */
export function firstJsonLine<T>(child: Child, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => reject(new Error(`no start-up line from child:\n${child.output()}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split("\n").find((l) => l.trim().startsWith("{"));
      if (line) {
        clearTimeout(timer);
        child.stdout.off("data", onData);
        resolve(JSON.parse(line) as T);
      }
    };
    child.stdout.on("data", onData);
    child.once("exit", (code) => reject(new Error(`child exited (${code}) before starting:\n${child.output()}`)));
  });
}

/** Resolves once a child has printed `text` (how a worker says it is up). */
export function waitForOutput(child: Child, text: string, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${text}" from child:\n${child.output()}`)), timeoutMs);
    const check = () => {
      if (!child.output().includes(text)) return;
      clearTimeout(timer);
      child.stdout.off("data", check);
      child.stderr.off("data", check);
      resolve();
    };
    child.stdout.on("data", check);
    child.stderr.on("data", check);
    child.once("exit", (code) => reject(new Error(`child exited (${code}) before "${text}":\n${child.output()}`)));
    check();
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function waitForUrl(url: string, child: Child, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the process exited during start-up:\n${child.output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`${url} did not answer within ${timeoutMs / 1000} s:\n${child.output()}`);
    await sleep(200);
  }
}

export async function stop(child: Child): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Peak resident set size of a live process in MB, from the kernel's own high-water mark. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const CLOCK_TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/**
 * The CPU time a process has used so far (user and system, all its threads), in milliseconds,
 * from /proc/<pid>/stat: its utime and stime, fields 14 and 15 of proc(5).
 */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // After the command name (in parentheses, and it may hold spaces) the fields start at the 3rd.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[14 - 3]) + Number(fields[15 - 3])) * 1000) / CLOCK_TICKS_PER_SECOND;
}
