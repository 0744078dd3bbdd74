// `npm run ips:purge`: forgets the address hashes of signatures older than IP_RETENTION_DAYS now
// (the web process and worker also do it every hour).
import { env } from "../app/env.server";
import { purgeIpHashes } from "../app/security/ip-hash.server";
import { openMigratedDb } from "../app/db/migrate/open-db.server";

const config = env();
const db = await openMigratedDb(config.DATABASE_URL);
const count = await purgeIpHashes(db, config.IP_RETENTION_DAYS);
console.log(`Forgot the address hashes of ${count} signature(s) older than ${config.IP_RETENTION_DAYS} day(s).`);
await db.$disconnect();
