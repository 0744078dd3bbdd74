// Prisma CLI configuration: JavaScript engines only, so generate and migrate work offline
// (see README "Why these dependencies").
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { defineConfig } from "prisma/config";
import { DEFAULT_DATABASE_URL } from "./app/db/url.ts";

// The schema reads DATABASE_URL; without it the CLI cannot read the schema and falls back to
// downloading native engines, which fails offline. So it always has a value here.
process.env.DATABASE_URL ??= DEFAULT_DATABASE_URL;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  async adapter() {
    const url = process.env.DATABASE_URL!;
    // better-sqlite3 creates the file but not its folder.
    mkdirSync(dirname(resolve(url.replace(/^file:/, ""))), { recursive: true });
    return new PrismaBetterSQLite3({ url });
  },
});
