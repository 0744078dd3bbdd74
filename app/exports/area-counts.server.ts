// Confirmed signatures per state and House district, as CSV: the figure coalitions report to
// offices and funders ("412 constituents in WA-7"). Read from the trigger-kept counters, so it
// costs nothing however many signatures there are.
import { stringify } from "csv-stringify/sync";
import type { Db } from "~/db/client.server";
import { stateName } from "~/offices/states";

export async function areaCountsCsv(db: Db, campaignId: string): Promise<{ csv: string; rows: number }> {
  const areas = await db.campaignArea.findMany({
    where: { campaignId, confirmed: { gt: 0 } },
    orderBy: [{ state: "asc" }, { district: "asc" }],
  });
  const records = areas.map((a) => [
    a.state,
    stateName(a.state),
    a.district === -1 ? "" : a.district === 0 ? "at-large" : String(a.district),
    String(a.confirmed),
  ]);
  const csv = stringify(records, {
    bom: true,
    header: true,
    columns: ["state", "state_name", "district", "confirmed"],
    record_delimiter: "windows",
  });
  return { csv, rows: records.length };
}
