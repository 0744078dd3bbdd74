// The delivery channels' part of the environment: House and Senate CWC, print-and-mail. Parsed at
// start-up beside app/env.server.ts (the web server and `npm run worker` both), so a channel that
// is switched on but incomplete stops the start with every variable at fault named, instead of
// failing letter by letter later.
import { parseCwcConfig, type CwcConfig } from "./cwc/config.server";
import { parsePrintConfig, type PrintConfig } from "./print/config.server";

export interface ChannelsConfig {
  cwc: CwcConfig;
  /** null: print-and-mail is off (LOB_API_KEY unset). */
  print: PrintConfig | null;
}

const PREFIX = "Invalid environment:\n";

export function parseChannelsConfig(source: Record<string, string | undefined> = process.env): ChannelsConfig {
  const problems: string[] = [];
  const attempt = <T>(parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (error) {
      problems.push((error as Error).message.replace(PREFIX, ""));
      return undefined;
    }
  };
  const cwc = attempt(() => parseCwcConfig(source));
  const print = attempt(() => parsePrintConfig(source));
  if (problems.length > 0) throw new Error(`${PREFIX}${problems.join("\n")}`);
  return { cwc: cwc!, print: print ?? null };
}

/** What the start-up log says of each channel (no key is ever printed). */
export function describeChannels(config: ChannelsConfig): string {
  const on = (name: string, value: unknown) => `${name} ${value ? "on" : "off"}`;
  const print = config.print ? `print on (Lob ${config.print.keyMode} key)` : "print off";
  return [on("House CWC", config.cwc.house), on("Senate CWC", config.cwc.senate), print].join(", ");
}
