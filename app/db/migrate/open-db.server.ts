// For the worker and the command-line tools: the database, migrated and tuned, so each of
// them works on a fresh install before the web server has ever started.
import { createDb, type Db } from "~/db/client.server";
import { ensureMigrated } from "./migrate.server";

export async function openMigratedDb(url: string): Promise<Db> {
  const db = createDb(url);
  await ensureMigrated(db, url);
  return db;
}
