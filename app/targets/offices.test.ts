import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestDb, type TestDb } from "../../test/db";
import { createDeliveryStore } from "~/delivery/queue/store.server";
import { seedCampaign, seedLetter, seedOffice } from "../../test/seed";
import { OfficeNotFoundError, updateOffice } from "./offices.server";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.cleanup());

async function heldLetterFor(officeEmail: string | null) {
  const campaign = await seedCampaign(t.db, { mode: "live" });
  const office = await seedOffice(t.db, { email: officeEmail });
  const letter = await seedLetter(t.db, { campaign, office });
  await createDeliveryStore(t.db).enqueueForLetters([letter.id]);
  await t.db.delivery.updateMany({
    where: { letterId: letter.id },
    data: { status: "held", lastError: "The office has no e-mail address yet" },
  });
  return office;
}

test("giving an office an e-mail address queues the letters it was holding, and only those", async () => {
  const office = await heldLetterFor(null);
  const other = await heldLetterFor(null);

  const { office: updated, released } = await updateOffice(t.db, office.key, { email: " Staffer@Senate.example.GOV " });
  expect(updated.email).toBe("staffer@senate.example.gov");
  expect(released).toBe(1);
  const mine = await t.db.delivery.findFirstOrThrow({ where: { letter: { officeId: office.id } } });
  expect(mine).toMatchObject({ status: "queued", lastError: null });
  const theirs = await t.db.delivery.findFirstOrThrow({ where: { letter: { officeId: other.id } } });
  expect(theirs.status).toBe("held");
});

test("a deactivated office holds on; reactivating it releases its letters", async () => {
  const office = await heldLetterFor("office@house.example.gov");
  expect((await updateOffice(t.db, office.key, { active: false })).released).toBe(0);
  expect((await updateOffice(t.db, office.key, { active: true })).released).toBe(1);
});

test("a bad address or an unknown office changes nothing and says what is wrong", async () => {
  const office = await heldLetterFor(null);
  await expect(updateOffice(t.db, office.key, { email: "not an address" })).rejects.toThrow(/email address/);
  expect((await t.db.office.findUniqueOrThrow({ where: { id: office.id } })).email).toBeNull();
  await expect(updateOffice(t.db, "Z999999", { email: "a@b.example" })).rejects.toBeInstanceOf(OfficeNotFoundError);
});
