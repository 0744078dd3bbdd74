// npm run channels:check — the delivery channels' configuration, the CWC office lists, and each
// office's channel (app/delivery/channels/check.server.ts). Exits 1 on a problem.
import { checkChannels } from "~/delivery/channels/check.server";
import { parseChannelsConfig } from "~/delivery/channels/config.server";
import { env } from "~/env.server";
import { openMigratedDb } from "~/db/migrate/open-db.server";

let config;
try {
  config = parseChannelsConfig();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const db = await openMigratedDb(env().DATABASE_URL);
const check = await checkChannels(db, config);
for (const office of check.offices) {
  console.log(`${office.key.padEnd(8)} ${(office.channel ?? "held").padEnd(11)} ${office.name} — ${office.why}`);
}
console.log("");
for (const line of check.summary) console.log(line);
for (const problem of check.problems) console.error(`Problem: ${problem}`);
await db.$disconnect();
process.exit(check.problems.length > 0 ? 1 : 0);
