// `npm run channels:check`: the configuration checked, both CWC office lists fetched (or read from
// the database when fresh), and each active office's channel as a live campaign's letter would
// take it, with the reason. A problem (a channel switched on that takes no office: a refused key,
// an unreachable service) makes the command fail.
import type { Db } from "~/db/client.server";
import { routeLetter } from "./routing";
import { createChannels } from "./channels.server";
import type { ChannelsConfig } from "./config.server";
import { letterOffice } from "./outgoing-letter";

export interface ChannelCheck {
  offices: Array<{ key: string; name: string; channel: string | null; why: string }>;
  /** "House CWC: 2 of 441 House offices", … */
  summary: string[];
  problems: string[];
}

export async function checkChannels(db: Db, config: ChannelsConfig): Promise<ChannelCheck> {
  const channels = await createChannels(db, config);
  const rows = await db.office.findMany({ where: { active: true }, orderBy: [{ chamber: "asc" }, { key: "asc" }] });
  const offices = rows.map((row) => {
    const office = letterOffice(row);
    const route = routeLetter(office, {
      mode: "live",
      testInbox: null,
      channelsOff: [],
      refusedBy: [],
      accepts: (name, to) => channels[name]?.accepts(to) ?? false,
    });
    return { key: row.key, name: row.fullName, channel: route.channel, why: route.why };
  });
  const count = (chamber: string, channel: string) => {
    const of = rows.filter((r) => r.chamber === chamber);
    const taking = offices.filter((o, i) => rows[i]!.chamber === chamber && o.channel === channel);
    return { taking: taking.length, of: of.length };
  };
  const summary: string[] = [];
  const problems: string[] = [];
  const report = (label: string, on: boolean, chamber: string, channel: string, noun: string) => {
    if (!on) return void summary.push(`${label}: off`);
    const { taking, of } = count(chamber, channel);
    summary.push(`${label}: ${taking} of ${of} ${noun}`);
    if (taking === 0 && of > 0) {
      problems.push(`${label} is on but takes no office: check its key and address, and that the service answers`);
    }
  };
  report("House CWC", Boolean(config.cwc.house), "house", "house-cwc", "House offices");
  report("Senate CWC", Boolean(config.cwc.senate), "senate", "senate-cwc", "senators");
  const printed = offices.filter((o) => o.channel === "print").length;
  summary.push(config.print ? `print: ${printed} offices (Lob ${config.print.keyMode} key)` : "print: off");
  const held = offices.filter((o) => o.channel === null).length;
  summary.push(`held (no channel): ${held} offices`);
  return { offices, summary, problems };
}
