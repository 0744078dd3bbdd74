// Prisma CLI configuration for the generated PostgreSQL twin (`prisma/postgresql/schema.prisma`):
// JavaScript engines only, like ../../prisma.config.ts, so `prisma generate` and `prisma migrate diff`
// work offline. Used as `prisma … --config prisma/postgresql/prisma.config.ts`.
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

// The schema reads DATABASE_URL; without a value the CLI cannot read it (see ../../prisma.config.ts).
if (!process.env.DATABASE_URL?.startsWith("postgres")) {
  process.env.DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres";
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "schema.prisma",
  async adapter() {
    return new PrismaPg({ connectionString: process.env.DATABASE_URL! });
  },
});
