// Queues failed (or held) letters again, for example after a mail server outage that lasted
// longer than the retries: npm run deliveries:retry -- [failed|held]
import { retryDeliveries } from "~/delivery/release.server";
import { env } from "~/env.server";
import { openMigratedDb } from "~/db/migrate/open-db.server";

const status = process.argv[2] ?? "failed";
if (status !== "failed" && status !== "held") {
  console.error("Usage: npm run deliveries:retry -- [failed|held]");
  process.exit(2);
}
const db = await openMigratedDb(env().DATABASE_URL);
const count = await retryDeliveries(db, status);
console.log(`${count} ${status} letter(s) queued again.`);
await db.$disconnect();
