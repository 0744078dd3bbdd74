// The delivery worker as its own process (`npm run worker`), for installs that run the web
// server with WORKER=off. Stops cleanly on SIGTERM/SIGINT: the letter in hand is finished, the
// rest of its batch goes back to the queue for the next worker.
import { createDb, tuneSqlite } from "../app/db.server";
import { startWorkerFromEnv } from "../app/delivery/worker.server";
import { env } from "../app/env.server";

const config = env();
const db = createDb(config.DATABASE_URL);
await tuneSqlite(db);

const delivery = startWorkerFromEnv({ db, env: config });

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.info(`[delivery] ${signal}: finishing the letter in hand, releasing the rest`);
  try {
    await delivery.stop();
    await db.$disconnect();
  } catch (error) {
    console.error("[delivery] error while stopping", error);
    process.exit(1);
  }
  process.exit(0);
}

process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
