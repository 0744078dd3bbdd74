// ZIP codes that lie in exactly one congressional district, from the bundled table, so that every
// generated supporter signs without being asked to pick a representative.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export function singleDistrictZips(limit: number): Array<{ zip: string; state: string }> {
  const lines = readFileSync(join(process.cwd(), "prisma/data/zccd.csv"), "utf8").trim().split("\n").slice(1);
  const seen = new Map<string, { state: string; rows: number }>();
  for (const line of lines) {
    const [, state, zip] = line.split(",");
    const entry = seen.get(zip);
    if (entry) entry.rows += 1;
    else seen.set(zip, { state, rows: 1 });
  }
  const single = [...seen].filter(([, v]) => v.rows === 1).map(([zip, v]) => ({ zip, state: v.state }));
  // Spread over the country (the table is sorted by state), not the first N of Alabama.
  const step = Math.max(1, Math.floor(single.length / limit));
  return single.filter((_, i) => i % step === 0).slice(0, limit);
}
