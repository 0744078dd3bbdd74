// Re-imports the members of Congress (and optionally the ZIP → district table) from newer
// copies of the upstream files, e.g. after a special election:
//
//   npm run targets:import -- <legislators-current.json> [zccd.csv]
//
// Without arguments it re-imports the bundled files in prisma/data/. See prisma/data/PROVENANCE.md.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { env } from "~/env.server";
import { openMigratedDb } from "~/db/migrate/open-db.server";
import { importTargets, TargetsImportError, type ImportReport } from "~/targets/import.server";

const USAGE = "Usage: npm run targets:import -- [legislators-current.json] [zccd.csv]";

function describe(report: ImportReport): string {
  const lines = [
    `Offices: ${report.officesAdded} added, ${report.officesUpdated} updated, ` +
      `${report.officesUnchanged} unchanged, ${report.officesDeactivated} deactivated (no longer in the file).`,
    `ZIP table: ${report.zipRows} rows for ${report.zipCodes} ZIP codes.`,
    `Letters waiting for members who left: ${report.lettersRerouted} rerouted to the successor, ` +
      `${report.lettersHeld} held (no successor yet; the reason is on each letter).`,
  ];
  if (report.officesKeptInactive.length > 0) {
    lines.push(
      `Left inactive (deactivated before; if that was a mistake: npm run office -- <key> --activate): ` +
        report.officesKeptInactive.join(", "),
    );
  }
  return lines.join("\n");
}

async function main(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  if (args.length > 2) {
    console.error(`Too many arguments.\n${USAGE}`);
    return 2;
  }
  const [legislatorsPath, zccdPath] = args.map((a) => resolve(a));
  for (const path of [legislatorsPath, zccdPath]) {
    if (path && !existsSync(path)) {
      console.error(`No such file: ${path}\n${USAGE}`);
      return 2;
    }
  }

  // Migrated first, so the import also works on a fresh install; tuned so that a running app
  // holding the database makes it wait instead of failing with "locked".
  const db = await openMigratedDb(env().DATABASE_URL);
  try {
    const report = await importTargets(db, { legislatorsPath, zccdPath });
    console.log(describe(report));
    return 0;
  } catch (error) {
    if (error instanceof TargetsImportError) {
      console.error(`Nothing was imported: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await db.$disconnect();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error("Import failed:", error);
    process.exit(1);
  },
);
