// The ZIP table's write during an import (./import.server.ts), in plain SQL: createMany with the
// same batches takes about 2 s for the 42k rows here, multi-row INSERTs about 0.25 s, and it runs
// on every fresh database (each test file, each first start). Prisma.sql binds parameters in the
// provider's own syntax, so it stays portable to PostgreSQL.
import type { DbClient } from "~/db/client.server";
import { Prisma, type ZipDistrict } from "~/generated/prisma/client";

/** 2,000 rows = 6,000 parameters, well under SQLite's 32,766. */
const ZIP_CHUNK = 2000;

/** Inserts the rows into the ZIP table (inside the import's transaction: `tx`), a chunk at a time. */
export async function insertZipDistricts(
  tx: DbClient,
  rows: readonly Pick<ZipDistrict, "zip" | "state" | "district">[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += ZIP_CHUNK) {
    const values = rows.slice(i, i + ZIP_CHUNK).map((r) => Prisma.sql`(${r.zip}, ${r.state}, ${r.district})`);
    await tx.$executeRaw`INSERT INTO "ZipDistrict" ("zip", "state", "district") VALUES ${Prisma.join(values)}`;
  }
}
