// The two databases a test runs on when what it checks depends on the database: a fresh SQLite
// file, and a fresh PostgreSQL database (left out, reported as skipped, with PG_TESTS=off).
//
//   describe.each(DATABASES)("… on $name", ({ open, skip }) => {
//     if (skip) return void it.skip("PG_TESTS=off");
//     …
import type { Db } from "~/db/client.server";
import { createTestDb } from "./db";
import { createPgTestDb, pgTestsOff } from "./pg";

export interface TestDatabase {
  db: Db;
  url: string;
  cleanup(): Promise<void>;
}

export const DATABASES: Array<{ name: "SQLite" | "PostgreSQL"; open: () => Promise<TestDatabase>; skip: boolean }> = [
  { name: "SQLite", open: createTestDb, skip: false },
  { name: "PostgreSQL", open: createPgTestDb, skip: pgTestsOff },
];
