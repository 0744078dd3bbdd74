// The delivery worker as its own process (`npm run worker`), for installs that run the web
// server with WORKER=off. Stops cleanly on SIGTERM/SIGINT: the letter in hand is finished, the
// rest of its batch goes back to the queue for the next worker.
import { startWorkerFromEnv } from "../app/delivery/worker.server";
import { createChannels } from "../app/delivery/channels/channels.server";
import { describeChannels, parseChannelsConfig, type ChannelsConfig } from "../app/delivery/channels/config.server";
import { env, type Env } from "../app/env.server";
import { startIpHashPurge } from "../app/security/retention.server";
import { openMigratedDb } from "../app/db/migrate/open-db.server";
import { startSqliteCheckpoints } from "../app/db/sqlite-checkpoints.server";

let config: Env;
let channelsConfig: ChannelsConfig;
try {
  config = env();
  // The delivery channels' settings too: one switched on but incomplete stops the start here.
  channelsConfig = parseChannelsConfig();
  console.log(`Delivery channels: e-mail on, ${describeChannels(channelsConfig)}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const db = await openMigratedDb(config.DATABASE_URL);

// On SQLite, WAL checkpoints from a thread of their own, not in the commit of a letter.
const checkpoints = await startSqliteCheckpoints(db);
const delivery = startWorkerFromEnv({ db, env: config, channels: await createChannels(db, channelsConfig) });
const purge = startIpHashPurge(db, config.IP_RETENTION_DAYS);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.info(`[delivery] ${signal}: finishing the letter in hand, releasing the rest`);
  purge.stop();
  try {
    await delivery.stop();
    await checkpoints.stop();
    await db.$disconnect();
  } catch (error) {
    console.error("[delivery] error while stopping", error);
    process.exit(1);
  }
  process.exit(0);
}

process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
