// A real SQLite database per test (a copy of the migrated template made in global setup).
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, tuneSqlite, type Db } from "~/db/client.server";

export interface TestDb {
  db: Db;
  url: string;
  file: string;
  cleanup(): Promise<void>;
}

export async function createTestDb(): Promise<TestDb> {
  const template = process.env.SINCERELY_TEST_TEMPLATE_DB;
  if (!template) throw new Error("SINCERELY_TEST_TEMPLATE_DB is not set: run tests with vitest");
  const dir = mkdtempSync(join(tmpdir(), "sincerely-db-"));
  const file = join(dir, "test.db");
  copyFileSync(template, file);
  const url = `file:${file}`;
  const db = createDb(url);
  await tuneSqlite(db);
  return {
    db,
    url,
    file,
    async cleanup() {
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
