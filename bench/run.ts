// `npm run bench`: the product measured against what this machine can do, in one run, as ratios.
// See bench/README.md for what each number means, the targets, and the results of past runs.
//
//   npm run bench                 full sizes, SQLite and PostgreSQL
//   npm run bench -- --smoke      tiny sizes (what the test suite runs so the benchmark does not rot)
//   npm run bench -- --db=sqlite  one database only
//   npm run bench -- --only=sign  some measurements only (sign, queue, count_page, export, targets)
//   npm run bench -- --profile    also writes the sign server's and a queue worker's CPU profiles (node --cpu-prof) to
//                                 bench/profiles/ and prints where its time went
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import pg from "pg";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, type Db } from "~/db/client.server";
import { buildLetterMessage } from "~/delivery/message.server";
import { parseEnv } from "~/env.server";
import { ensureMigrated } from "~/db/migrate/migrate.server";
import { prepareDatabase } from "~/setup/prepare.server";
import { importTargets } from "~/targets/import.server";
import { MEMO_CAMPAIGN_SLUG } from "~/campaigns/campaigns.server";
import {
  firstJsonLine,
  freePort,
  median,
  runTsxJson,
  sleep,
  cpuMs,
  startTsx,
  stop,
  waitForOutput,
  waitForUrl,
  type Child,
  type ChildEnv,
} from "./lib/proc";
import { summariseProfile } from "./lib/profile-summary";
import { seedQueuedLetters, seedSignaturesSqlite } from "./lib/seed";

const args = new Set(process.argv.slice(2));
const smoke = args.has("--smoke");
const profile = args.has("--profile");
/** --only=sign,queue,count_page,export,targets: some measurements only (the results file is left alone). */
const only = [...args]
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .split(",");
const wanted = (measure: "sign" | "queue" | "count_page" | "export" | "targets") => !only || only.includes(measure);
const onlyDb = [...args].find((a) => a.startsWith("--db="))?.slice(5);
const databases = (onlyDb ? [onlyDb] : ["sqlite", "postgresql"]) as Array<"sqlite" | "postgresql">;
/** The PostgreSQL server the benchmark creates its databases on (and drops them after). */
const PG_SERVER =
  process.env.BENCH_PG_URL ?? process.env.PG_TEST_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const pgDatabases: string[] = [];

const SIZES = smoke
  ? {
      signSeconds: 2,
      connections: 4,
      fixedRate: 20,
      queueSupporters: 10,
      pageSignatures: 2_000,
      pageRequests: 10,
      exportSmall: 200,
    }
  : {
      signSeconds: 15,
      connections: 16,
      fixedRate: 200,
      queueSupporters: 1_000,
      pageSignatures: 1_000_000,
      pageRequests: 50,
      exportSmall: 100_000,
    };

const MAIL_FROM = "Sincerely Bench <letters@bench.sincerely.test>";
const work = mkdtempSync(join(tmpdir(), "sincerely-bench-"));
const log = (m: string) => console.log(`[bench] ${m}`);

interface Sink {
  child: Child;
  smtpPort: number;
  stats(
    path?: string,
  ): Promise<{ received: number; unique: number; duplicates: number; firstAt: number; lastAt: number }>;
}

async function startSink(): Promise<Sink> {
  const child = startTsx("bench/lib/sink-process.ts", [], {});
  const { smtpPort, statsPort } = await firstJsonLine<{ smtpPort: number; statsPort: number }>(child);
  return {
    child,
    smtpPort,
    stats: async (path = "/") => (await fetch(`http://127.0.0.1:${statsPort}${path}`)).json(),
  };
}

/** A fresh database of the kind, and the environment every process of the run shares. */
async function freshDatabase(kind: "sqlite" | "postgresql", name: string): Promise<string> {
  if (kind === "sqlite") {
    const dir = join(work, name);
    mkdirSync(dir, { recursive: true });
    return `file:${join(dir, "bench.db")}`;
  }
  const dbName = `sincerely_bench_${name.replace(/\W/g, "_")}_${Math.random().toString(36).slice(2, 8)}`;
  await pgAdmin(`CREATE DATABASE "${dbName}"`);
  pgDatabases.push(dbName);
  const url = new URL(PG_SERVER);
  url.pathname = `/${dbName}`;
  return url.toString();
}

async function pgAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_SERVER });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function appEnv(databaseUrl: string, sink: Sink, port?: number): ChildEnv {
  return {
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    SMTP_URL: `smtp://127.0.0.1:${sink.smtpPort}`,
    MAIL_FROM,
    TEST_INBOX: "inbox@bench.sincerely.test",
    WORKER_POLL_MS: "50",
    SESSION_SECRET: "bench-secret-bench-secret-bench-secret",
    // The load comes from one address: the per-address limit stays on (its database write is part
    // of what a sign costs) but with a ceiling the run cannot reach.
    RATE_LIMIT_SIGN_PER_IP: "1000000000",
    ...(port ? { PORT: String(port), APP_URL: `http://127.0.0.1:${port}` } : {}),
  };
}

async function startServer(databaseUrl: string, sink: Sink, extra: ChildEnv = {}, nodeOptions: string[] = []) {
  // One process (node --import tsx), so that its CPU time can be read (cpuMs).
  const port = await freePort();
  const child = startTsx("server/index.ts", [], { ...appEnv(databaseUrl, sink, port), ...extra }, nodeOptions);
  const url = `http://127.0.0.1:${port}`;
  await waitForUrl(`${url}/api/ping`, child);
  return { child, url };
}

async function openPrepared(databaseUrl: string, sink: Sink): Promise<Db> {
  const db = createDb(databaseUrl);
  await prepareDatabase(db, parseEnv(appEnv(databaseUrl, sink) as NodeJS.ProcessEnv), () => {});
  return db;
}

interface LoadResult {
  rps: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  p50_ms: number;
  p99_ms: number;
}

function load(url: string, route: "sign" | "sign-js" | "ping", seconds: number, rate?: number): Promise<LoadResult> {
  const options = {
    url,
    route,
    seconds,
    connections: SIZES.connections,
    rate,
    slug: MEMO_CAMPAIGN_SLUG,
    runId: Math.random().toString(36).slice(2, 8),
  };
  return runTsxJson<LoadResult>("bench/lib/load-process.ts", [JSON.stringify(options)]);
}

function checkLoad(what: string, r: LoadResult) {
  if (r.non2xx > 0 || r.errors > 0) {
    throw new Error(`${what}: ${r.non2xx} answers were not 2xx and ${r.errors} requests failed; the numbers would lie`);
  }
}

async function measureSign(kind: "sqlite" | "postgresql", sink: Sink) {
  const databaseUrl = await freshDatabase(kind, `sign-${kind}`);
  const profileDir = join("bench/profiles", `sign-${kind}-${new Date().toISOString().replace(/[:.]/g, "-")}`);
  const server = await startServer(
    databaseUrl,
    sink,
    { WORKER: "inline" },
    profile ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
  );
  try {
    log(`sign (${kind}): warming up`);
    await sink.stats("/reset");
    await load(server.url, "ping", 2);
    const warmUp = await load(server.url, "sign", 2);
    await confirmationsSent(sink, warmUp.total, kind, "the warm-up");
    const pid = server.child.pid!;
    let cpuBefore = cpuMs(pid);
    const baseline = await load(server.url, "ping", SIZES.signSeconds);
    const baselineCpu = cpuMs(pid) - cpuBefore;
    checkLoad("baseline", baseline);
    cpuBefore = cpuMs(pid);
    const sign = await load(server.url, "sign", SIZES.signSeconds);
    checkLoad("sign", sign);
    // The fixed rate measures a steady 200 signatures a second, each with its confirmation e-mail
    // sent by the inline worker: it starts once the e-mails of the full-speed phase are out, not
    // with the thousands that phase left queued (which made it a measure of that backlog).
    await confirmationsSent(sink, warmUp.total + sign.total, kind, "the full-speed phase");
    // A signature's whole cost to the server: its request and its confirmation e-mail.
    const signCpu = cpuMs(pid) - cpuBefore;
    const fixed = await load(server.url, "sign", SIZES.signSeconds, SIZES.fixedRate);
    checkLoad("sign at a fixed rate", fixed);
    // As nearly every supporter's browser signs: the page's script posts the form to the action
    // alone (Remix's .data request) and shows the letters from its answer, no page rendered.
    await confirmationsSent(sink, warmUp.total + sign.total + fixed.total, kind, "the fixed-rate phase");
    const withScript = await load(server.url, "sign-js", SIZES.signSeconds);
    checkLoad("sign with JavaScript", withScript);
    // Each of those signed (its confirmation e-mail went out), as the form's posts did.
    const signed = warmUp.total + sign.total + fixed.total + withScript.total;
    await confirmationsSent(sink, signed, kind, "the phase with JavaScript");
    return {
      rps: round(sign.rps),
      baseline_rps: round(baseline.rps),
      ratio: round(sign.rps / baseline.rps, 3),
      p50_ms: sign.p50_ms,
      p99_ms: sign.p99_ms,
      p99_ms_at_200rps: fixed.p99_ms,
      offered_rps_for_p99: SIZES.fixedRate,
      // The server's CPU time per request (all its threads; a signature's confirmation e-mail,
      // sent by the inline worker, included): what a signature costs against the trivial post,
      // steadier than requests a second on a shared machine.
      server_cpu_ms_per_sign: round(signCpu / sign.total, 3),
      server_cpu_ms_per_baseline: round(baselineCpu / baseline.total, 3),
      rps_with_javascript: round(withScript.rps),
      ratio_with_javascript: round(withScript.rps / baseline.rps, 3),
    };
  } finally {
    await stop(server.child);
    if (profile) printProfile(`sign (${kind})`, profileDir);
  }
}

/**
 * Waits until the sink has received `count` confirmation e-mails (the inline worker's backlog is
 * out), or until none has arrived for five seconds (a request the load generator gave up on may
 * not have signed).
 */
async function confirmationsSent(sink: Sink, count: number, kind: string, after: string) {
  const started = Date.now();
  let stats = await sink.stats();
  let last = { unique: stats.unique, at: Date.now() };
  while (stats.unique < count && Date.now() - last.at < 5_000) {
    await sleep(200);
    stats = await sink.stats();
    if (stats.unique > last.unique) last = { unique: stats.unique, at: Date.now() };
  }
  const seconds = ((last.at - started) / 1000).toFixed(1);
  log(`sign (${kind}): ${stats.unique} of ${count} confirmation e-mails out ${seconds} s after ${after}`);
}

/** A process's profile (the largest file, should a worker thread have written one too). */
function printProfile(what: string, dir: string) {
  const files = readdirSync(dir).map((f) => join(dir, f));
  const largest = files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
  if (!largest) return log(`${what}: no CPU profile was written`);
  log(`${what}: CPU profile ${largest} (open it in Chrome DevTools); where the time went, idle left out:`);
  for (const { part, share } of summariseProfile(largest)) log(`  ${share.toFixed(1).padStart(5)} %  ${part}`);
}

async function measureQueue(kind: "sqlite" | "postgresql", sink: Sink) {
  const workers = kind === "sqlite" ? 1 : 3;
  const databaseUrl = await freshDatabase(kind, `queue-${kind}`);
  const db = await openPrepared(databaseUrl, sink);
  const campaign = await db.campaign.findUniqueOrThrow({ where: { slug: MEMO_CAMPAIGN_SLUG } });
  log(`queue (${kind}): seeding ${SIZES.queueSupporters} supporters' letters`);
  const letters = await seedQueuedLetters(db, campaign.id, SIZES.queueSupporters);

  // The same messages for nodemailer alone, built by the app's own code from the same rows.
  const rows = await db.delivery.findMany({
    include: { letter: { include: { signature: true } } },
  });
  const messages = rows.map((d) =>
    buildLetterMessage(
      {
        deliveryId: d.id,
        letter: d.letter,
        supporter: d.letter.signature,
      } as unknown as Parameters<typeof buildLetterMessage>[0],
      { mailFrom: MAIL_FROM, to: "inbox@bench.sincerely.test" },
    ),
  );
  const messagesFile = join(work, `messages-${kind}.json`);
  writeFileSync(messagesFile, JSON.stringify(messages));

  // The letters wait, their campaign paused, until every worker is up: loading the app takes a
  // worker seconds of CPU, and a worker still loading beside one already sending (two cores) was
  // measured as the queue's slowness. nodemailer alone is timed from its first message too.
  await db.campaign.update({ where: { id: campaign.id }, data: { paused: true } });
  log(`queue (${kind}): ${letters} letters, ${workers} worker process(es)`);
  // With --profile the first worker runs under the profiler (one worker's view is enough).
  const profileDir = join("bench/profiles", `queue-${kind}-${new Date().toISOString().replace(/[:.]/g, "-")}`);
  const procs = Array.from({ length: workers }, (_, i) =>
    startTsx(
      "server/worker.ts",
      [],
      { ...appEnv(databaseUrl, sink), WORKER: "off" },
      profile && i === 0 ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
    ),
  );
  await Promise.all(procs.map((p) => waitForOutput(p, "worker started")));
  await sink.stats("/reset");
  await db.campaign.update({ where: { id: campaign.id }, data: { paused: false } });
  await db.$disconnect();
  const deadline = Date.now() + (smoke ? 60_000 : 600_000);
  let stats = await sink.stats();
  while (stats.unique < letters) {
    if (Date.now() > deadline) throw new Error(`queue: only ${stats.unique} of ${letters} letters arrived`);
    await sleep(100);
    stats = await sink.stats();
  }
  await Promise.all(procs.map(stop));
  if (profile) printProfile(`queue (${kind})`, profileDir);
  const queueSeconds = Math.max(0.001, (stats.lastAt - stats.firstAt) / 1000);

  await sink.stats("/reset");
  const raw = await runTsxJson<{ sent: number; failed: number; seconds: number }>("bench/lib/raw-smtp-process.ts", [
    String(sink.smtpPort),
    messagesFile,
  ]);
  if (raw.failed > 0) throw new Error(`raw nodemailer: ${raw.failed} messages failed`);
  const lettersPerS = letters / queueSeconds;
  const rawPerS = raw.sent / raw.seconds;
  return {
    letters,
    duplicates: stats.duplicates,
    letters_per_s: round(lettersPerS),
    raw_smtp_per_s: round(rawPerS),
    ratio: round(lettersPerS / rawPerS, 3),
    ...(kind === "postgresql" ? { workers } : {}),
  };
}

async function pageMedianMs(url: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < SIZES.pageRequests + 5; i++) {
    const started = performance.now();
    const res = await fetch(`${url}/c/${MEMO_CAMPAIGN_SLUG}`);
    await res.text();
    if (!res.ok) throw new Error(`the campaign page answered ${res.status}`);
    if (i >= 5) times.push(performance.now() - started); // the first few warm the server up
  }
  return median(times);
}

async function measureCountPage(sink: Sink) {
  const databaseUrl = await freshDatabase("sqlite", "count-page");
  let server = await startServer(databaseUrl, sink, { WORKER: "off" });
  const atZero = await pageMedianMs(server.url);
  await stop(server.child);

  const db = createDb(databaseUrl);
  const campaign = await db.campaign.findUniqueOrThrow({ where: { slug: MEMO_CAMPAIGN_SLUG } });
  await db.$disconnect();
  log(`count page: seeding ${SIZES.pageSignatures.toLocaleString("en-US")} signatures`);
  seedSignaturesSqlite(databaseUrl, campaign.id, SIZES.pageSignatures);

  server = await startServer(databaseUrl, sink, { WORKER: "off" });
  const atMany = await pageMedianMs(server.url);
  await stop(server.child);
  return {
    result: {
      ms_at_0: round(atZero, 2),
      ms_at_1m: round(atMany, 2),
      signatures: SIZES.pageSignatures,
      ratio: round(atMany / atZero, 3),
    },
    databaseUrl,
  };
}

interface ExportRun {
  rows: number;
  seconds: number;
  peakRssMb: number;
}

/** The node options of `npm run export:signatures` (package.json). */
const EXPORT_NODE_OPTIONS = ["--max-old-space-size=128"];

/** The organizers' CSV export of a whole campaign, as its own process (the command runs the same code). */
async function runExport(databaseUrl: string, sink: Sink): Promise<ExportRun> {
  const out = join(work, "export.csv");
  const started = performance.now();
  // As `npm run export:signatures` runs it (package.json): with the JavaScript heap capped, so that
  // V8 collects the garbage of the pages already written instead of growing into it.
  const child = startTsx(
    "scripts/export-signatures.ts",
    [MEMO_CAMPAIGN_SLUG, "--out", out],
    { ...appEnv(databaseUrl, sink) },
    EXPORT_NODE_OPTIONS,
  );
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`the export failed (${code}):\n${child.output()}`);
  // The command reports its own peak resident memory (the kernel's maxRSS) as its last line.
  const summary = child
    .output()
    .trim()
    .split("\n")
    .reverse()
    .find((l) => l.startsWith("{"));
  const { rows, maxRssKb } = JSON.parse(summary ?? "{}") as { rows: number; maxRssKb: number };
  rmSync(out, { force: true });
  return { rows, seconds, peakRssMb: maxRssKb / 1024 };
}

async function measureExport(manyUrl: string, sink: Sink) {
  const smallUrl = await freshDatabase("sqlite", "export-small");
  const db = await openPrepared(smallUrl, sink);
  const campaign = await db.campaign.findUniqueOrThrow({ where: { slug: MEMO_CAMPAIGN_SLUG } });
  await db.$disconnect();
  log(`export: seeding ${SIZES.exportSmall.toLocaleString("en-US")} signatures for the small run`);
  seedSignaturesSqlite(smallUrl, campaign.id, SIZES.exportSmall);

  const small = await runExport(smallUrl, sink);
  const many = await runExport(manyUrl, sink);
  if (small.rows !== SIZES.exportSmall || many.rows !== SIZES.pageSignatures) {
    throw new Error(
      `the export wrote ${small.rows} and ${many.rows} rows, not ${SIZES.exportSmall} and ${SIZES.pageSignatures}`,
    );
  }
  return {
    rows: many.rows,
    seconds: round(many.seconds, 2),
    peak_rss_mb: round(many.peakRssMb),
    rows_small: small.rows,
    peak_rss_mb_at_100k: round(small.peakRssMb),
    rss_ratio: round(many.peakRssMb / small.peakRssMb, 3),
  };
}

/** The bundled offices and ZIP table loaded into a fresh, migrated SQLite database, as a first start does. */
async function measureTargetsImport() {
  const url = await freshDatabase("sqlite", "targets-import");
  const db = createDb(url);
  try {
    await ensureMigrated(db, url);
    const started = performance.now();
    const report = await importTargets(db);
    return {
      seconds: round((performance.now() - started) / 1000, 2),
      offices: report.officesAdded,
      zip_rows: report.zipRows,
    };
  } finally {
    await db.$disconnect();
  }
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

async function main() {
  const sink = await startSink();
  const results: Record<string, unknown> = { smoke, at: new Date().toISOString() };
  try {
    const sign: Record<string, unknown> = {};
    const queue: Record<string, unknown> = {};
    for (const kind of databases) {
      if (wanted("sign")) {
        sign[kind] = await measureSign(kind, sink);
        log(`sign (${kind}): ${JSON.stringify(sign[kind])}`);
      }
      if (wanted("queue")) {
        queue[kind] = await measureQueue(kind, sink);
        log(`queue (${kind}): ${JSON.stringify(queue[kind])}`);
      }
    }
    if (wanted("sign")) results.sign = sign;
    if (wanted("queue")) results.queue = queue;
    if (wanted("count_page") || wanted("export")) {
      const countPage = await measureCountPage(sink);
      results.count_page = countPage.result;
      log(`count page: ${JSON.stringify(results.count_page)}`);
      // The export reads the same million signatures the count page was measured with.
      if (wanted("export")) {
        results.export = await measureExport(countPage.databaseUrl, sink);
        log(`export: ${JSON.stringify(results.export)}`);
      }
    }
    if (wanted("targets")) {
      results.targets = await measureTargetsImport();
      log(`targets import: ${JSON.stringify(results.targets)}`);
    }
  } finally {
    await stop(sink.child);
    rmSync(work, { recursive: true, force: true });
    for (const name of pgDatabases) await pgAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
  // A smoke run (the test suite's) or a partial one leaves the committed results alone.
  const out =
    process.env.BENCH_RESULTS ??
    (smoke || only ? join(tmpdir(), "sincerely-bench-partial.json") : "bench/results.json");
  writeFileSync(out, JSON.stringify(results, null, 2) + "\n");
  console.table(flatten(results));
  log(`written to ${out}`);
}

function flatten(results: Record<string, unknown>) {
  const rows: Record<string, Record<string, unknown>> = {};
  for (const [measure, value] of Object.entries(results)) {
    if (!value || typeof value !== "object") continue;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.every(([, v]) => v && typeof v === "object")) {
      for (const [db, v] of entries) rows[`${measure} ${db}`] = v as Record<string, unknown>;
    } else rows[measure] = value as Record<string, unknown>;
  }
  return rows;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
