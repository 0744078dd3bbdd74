// Exports a campaign's signatures as CSV from the command line, the way the organizers'
// export does (same code, same filter). Also what the memory test and the benchmark run.
//
//   npm run export:signatures -- <campaign slug> [--status confirmed] [--state WA]
//                                [--from 2026-01-01] [--to 2026-12-31] [--out file.csv]
//
// Without --out the CSV goes to standard output. A summary (rows, peak memory) goes to
// standard error as one JSON line. Like every export, it is written to the audit log, in the
// name of the operating-system user who ran it (there is no organizer at the command line),
// with the rows it wrote, or got to if it stopped half-way.
import { createWriteStream } from "node:fs";
import { commandLineActor, finishAudit, recordAudit } from "~/audit/audit.server";
import { env } from "~/env.server";
import { SignatureFilterSchema } from "~/exports/signature-filter";
import { writeSignaturesCsv } from "~/exports/signatures-csv.server";
import { openMigratedDb } from "~/db/migrate/open-db.server";

const USAGE =
  "Usage: npm run export:signatures -- <campaign slug> [--status all|confirmed|pending|review|rejected] " +
  "[--state XX] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out file.csv]";

async function main(args: string[]): Promise<number> {
  const [campaign, ...rest] = args;
  if (!campaign || campaign.startsWith("-")) {
    console.error(USAGE);
    return 2;
  }
  const input: Record<string, string> = { campaign };
  let out: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const match = /^--(status|state|from|to|out)$/.exec(rest[i]);
    if (!match || rest[i + 1] === undefined) {
      console.error(`Unknown or incomplete argument: ${rest[i]}\n${USAGE}`);
      return 2;
    }
    if (match[1] === "out") out = rest[++i];
    else input[match[1]] = rest[++i];
  }
  const parsed = SignatureFilterSchema.safeParse(input);
  if (!parsed.success) {
    console.error(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
    return 2;
  }
  const db = await openMigratedDb(env().DATABASE_URL);
  try {
    const found = await db.campaign.findUnique({ where: { slug: parsed.data.campaign } });
    if (!found) {
      console.error(`No campaign "${parsed.data.campaign}"`);
      return 1;
    }
    const eventId = await recordAudit(db, commandLineActor(), "export.signatures", {
      ...parsed.data,
      output: out ?? "standard output",
    });
    let written = 0;
    let rows: number;
    try {
      rows = await writeSignaturesCsv(db, found.id, parsed.data, out ? createWriteStream(out) : process.stdout, {
        onRows: (n) => (written = n),
      });
    } catch (error) {
      await finishAudit(db, eventId, written).catch(() => undefined);
      throw error;
    }
    await finishAudit(db, eventId, rows);
    // maxRSS is the process's peak resident memory in KiB: what the memory test reads.
    console.error(JSON.stringify({ rows, maxRssKb: process.resourceUsage().maxRSS }));
    return 0;
  } finally {
    await db.$disconnect();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
