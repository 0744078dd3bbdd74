// writeEach, on both databases: several writes in one go, each with its own count of changed rows,
// and none of them kept when one fails (the worker records a group of letters with it).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DATABASES, type TestDatabase } from "../../test/databases";
import { seedOffice } from "../../test/seed";
import { directSqlOf } from "~/db/direct-sql.server";
import { Prisma } from "~/generated/prisma/client";

describe.each(DATABASES)("the direct road's writeEach on $name", ({ open, skip }) => {
  if (skip) return void it.skip("PG_TESTS=off");
  let t: TestDatabase;
  beforeEach(async () => {
    t = await open();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const rename = (lastName: string, where: Prisma.Sql) =>
    Prisma.sql`UPDATE "Office" SET "lastName" = ${lastName} WHERE ${where}`;

  it("answers with the rows each write changed, in order", async () => {
    const senator = await seedOffice(t.db);
    await seedOffice(t.db);
    const house = await seedOffice(t.db, { chamber: "house", lastName: "Jayapal" });
    const counts = await directSqlOf(t.db).writeEach([
      rename("Senator", Prisma.sql`"chamber" = 'senate'`),
      rename("Nobody", Prisma.sql`"state" = 'ZZ'`),
      rename("Representative", Prisma.sql`"id" = ${house.id}`),
    ]);
    expect(counts).toEqual([2, 0, 1]);
    const names = await t.db.office.findMany({ select: { lastName: true }, orderBy: { lastName: "asc" } });
    expect(names.map((o) => o.lastName)).toEqual(["Representative", "Senator", "Senator"]);
    expect(await directSqlOf(t.db).writeEach([rename("Alone", Prisma.sql`"id" = ${senator.id}`)])).toEqual([1]);
    expect(await directSqlOf(t.db).writeEach([])).toEqual([]);
  });

  it("keeps none of the writes when one of them fails", async () => {
    const [a, b] = [await seedOffice(t.db), await seedOffice(t.db)];
    const write = directSqlOf(t.db).writeEach([
      rename("Changed", Prisma.sql`"id" = ${a.id}`),
      // Two offices cannot share a key.
      Prisma.sql`UPDATE "Office" SET "key" = ${a.key} WHERE "id" = ${b.id}`,
    ]);
    await expect(write).rejects.toThrow();
    expect(await t.db.office.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({ lastName: "Cantwell" });
    expect(await t.db.office.findUniqueOrThrow({ where: { id: b.id } })).toMatchObject({ key: b.key });
  });
});
