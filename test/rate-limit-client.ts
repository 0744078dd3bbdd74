// A separate process for rate-limits.test.ts: opens the given SQLite file, says it is ready (a
// file), waits for the start signal (another file), then tries `tries` times against one limit
// and prints how many were allowed.
import { existsSync, writeFileSync } from "node:fs";
import { createDb, tuneSqlite } from "../app/db/client.server";
import { parseEnv } from "../app/env.server";
import { createRateLimits } from "../app/security/rate-limits.server";

const [url, points, tries, go, ready] = process.argv.slice(2);
const db = createDb(url);
await tuneSqlite(db);
const limits = createRateLimits(db, parseEnv({ NODE_ENV: "test", RATE_LIMIT_SIGN_PER_EMAIL: points }));
writeFileSync(ready, "");
while (!existsSync(go)) await new Promise((r) => setTimeout(r, 5));
let allowed = 0;
for (let i = 0; i < Number(tries); i++) {
  if ((await limits.consume({ signPerEmail: limits.keyFor("email:shared@example.org") })) === null) allowed++;
}
console.log(JSON.stringify({ allowed }));
await db.$disconnect();
process.exit(0);
