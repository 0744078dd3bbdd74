// A signature's reads and its write go to the database in plain SQL (~/db/direct-sql.server), not
// through Prisma: these tests check, on SQLite and on PostgreSQL, that what is read is what Prisma
// reads, that what is written reads back through Prisma as the rest of the app expects (dates,
// booleans, counters kept by triggers), and that a write that fails leaves nothing behind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Off UTC on purpose: node-postgres on its own reads and binds timestamps in the process's time
// zone; the direct road must not (each test file runs in a process of its own).
process.env.TZ = "America/New_York";

import { DATABASES, type TestDatabase } from "../../test/databases";
import type { Campaign } from "~/generated/prisma/client";
import { importTargets } from "~/targets/import.server";
import { resolveTargets } from "~/targets/resolve.server";
import { createCampaign, publicCampaignPage } from "./campaigns.server";
import { confirmSignature } from "./confirm.server";
import { SignSchema } from "./sign-schema";
import { signCampaign } from "./sign.server";

let n = 0;
function values(over: Record<string, unknown> = {}) {
  n += 1;
  return SignSchema.parse({
    firstName: "Ada",
    lastName: "Lovelace",
    email: `ada.${n}@example.org`,
    street: "1200 N 45th St",
    city: "Seattle",
    state: "WA",
    zip: "98103",
    points: ["ban", "accede"],
    message: "Please.",
    consent: "on",
    ...over,
  });
}

describe.each(DATABASES)("signing on $name", ({ open, skip }) => {
  if (skip) return void it.skip("PG_TESTS=off");
  let t: TestDatabase;
  let campaign: Campaign;
  beforeAll(async () => {
    t = await open();
    await importTargets(t.db);
    campaign = await createCampaign(t.db, { slug: `sign-db-${Date.now()}`, template: "landmines-2020" });
    // Dates and a false boolean on the campaign, so that reading them back is checked too.
    campaign = await t.db.campaign.update({
      where: { id: campaign.id },
      data: { startsAt: new Date("2026-01-02T03:04:05.678Z"), targetsSenators: true, paused: false },
    });
  }, 60_000);
  afterAll(async () => t?.cleanup());

  it("reads the public campaign and its active extra offices exactly as Prisma reads them", async () => {
    const [active, inactive] = await Promise.all(
      ["Agency A", "Agency B"].map((fullName, i) =>
        t.db.office.create({
          data: { key: `extra-${n}-${i}`, chamber: "other", title: "Office", lastName: fullName, fullName },
        }),
      ),
    );
    await t.db.office.update({ where: { id: inactive.id }, data: { active: false } });
    await t.db.campaignOffice.createMany({
      data: [active, inactive].map((o) => ({ campaignId: campaign.id, officeId: o.id })),
    });

    const page = await publicCampaignPage(campaign.slug, {}, t.db);
    expect(page?.campaign).toEqual(await t.db.campaign.findUnique({ where: { id: campaign.id } }));
    expect(page?.extraOffices).toEqual([await t.db.office.findUnique({ where: { id: active.id } })]);
    // A draft is not public.
    await t.db.campaign.update({ where: { id: campaign.id }, data: { status: "draft" } });
    expect(await publicCampaignPage(campaign.slug, {}, t.db)).toBeNull();
    await t.db.campaign.update({ where: { id: campaign.id }, data: { status: "live" } });
    await t.db.campaignOffice.deleteMany({ where: { campaignId: campaign.id } });
  });

  it("finds the supporter's offices as Prisma stores them, and names an unknown ZIP", async () => {
    const found = await resolveTargets(
      t.db,
      { zip: "98103", state: "WA" },
      { wantWhiteHouse: true, wantSenators: true, wantRepresentative: true },
    );
    if (!found.ok) throw new Error(found.error);
    expect(found.offices.map((o) => o.chamber)).toEqual(["white_house", "senate", "senate", "house"]);
    expect(found.district).toBe(7);
    const stored = await t.db.office.findMany({ where: { id: { in: found.offices.map((o) => o.id) } } });
    for (const office of found.offices) expect(office).toEqual(stored.find((o) => o.id === office.id));

    const unknown = await resolveTargets(
      t.db,
      { zip: "00000", state: "WA" },
      { wantWhiteHouse: true, wantSenators: true, wantRepresentative: true },
    );
    expect(unknown).toMatchObject({ ok: false, field: "zip" });
    const elsewhere = await resolveTargets(
      t.db,
      { zip: "98103", state: "OR" },
      { wantWhiteHouse: true, wantSenators: true, wantRepresentative: true },
    );
    expect(elsewhere).toMatchObject({ ok: false, field: "zip", error: expect.stringContaining("Washington") });
  });

  it("writes the signature, its letters, its token and its e-mail as the rest of the app reads them", async () => {
    const now = new Date("2026-11-28T10:11:12.345Z");
    const before = await t.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    const result = await signCampaign(t.db, campaign, values(), { now, ipHash: "hash-of-address" });
    expect(result.status).toBe("signed");

    const signature = await t.db.signature.findFirstOrThrow({
      where: { campaignId: campaign.id, email: `ada.${n}@example.org` },
      include: { letters: { include: { office: true } }, tokens: true, emails: true },
    });
    expect(signature).toMatchObject({
      firstName: "Ada",
      status: "pending",
      district: 7,
      points: JSON.stringify(["ban", "accede"]),
      message: "Please.",
      consentToContact: true,
      moderation: "none",
      ipHash: "hash-of-address",
      createdAt: now,
      lastEmailedAt: now,
      emailsSent: 1,
      confirmedAt: null,
    });
    expect(signature.letters.map((l) => l.office.chamber).sort()).toEqual(["house", "senate", "senate", "white_house"]);
    for (const letter of signature.letters) {
      expect(letter.createdAt).toEqual(now);
      expect(letter.bodyText).toContain("Ada Lovelace");
      expect(letter.bodyHtml).toContain("<");
    }
    expect(signature.tokens).toHaveLength(1);
    expect(signature.tokens[0].expiresAt.getTime()).toBeGreaterThan(now.getTime());
    expect(signature.emails).toMatchObject([{ kind: "confirmation", status: "queued", attempts: 0, runAt: now }]);
    // The counters the triggers keep.
    const after = await t.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(after.pendingCount).toBe(before.pendingCount + 1);

    // The queued e-mail's link confirms it, and the letters are queued for their offices.
    const confirmed = await confirmSignature(t.db, signature.emails[0].token!);
    expect(confirmed).toMatchObject({ status: "confirmed", letters: 4 });
    expect(await t.db.delivery.count({ where: { letter: { signatureId: signature.id } } })).toBe(4);
  });

  it("answers a second signature with the same e-mail without storing it twice", async () => {
    const first = values();
    await signCampaign(t.db, campaign, first);
    const again = await signCampaign(t.db, campaign, { ...first, firstName: "Someone" });
    expect(again.status).toBe("signed");
    expect(await t.db.signature.count({ where: { campaignId: campaign.id, email: first.email } })).toBe(1);
  });

  it("leaves nothing behind when a part of the write is refused", async () => {
    const office = await t.db.office.findFirstOrThrow({ where: { chamber: "white_house" } });
    const before = await t.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    const supporter = values();
    // A letter to an office that does not exist: the Letter row's foreign key refuses it after the
    // signature's own INSERT went through, inside the same transaction.
    const ghost = { ...office, id: "no-such-office", chamber: "other" };
    await expect(signCampaign(t.db, campaign, supporter, { extraOffices: [ghost] })).rejects.toThrow();
    expect(await t.db.signature.count({ where: { email: supporter.email } })).toBe(0);
    expect(await t.db.supporterEmail.count({ where: { signature: { email: supporter.email } } })).toBe(0);
    const after = await t.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(after.pendingCount).toBe(before.pendingCount);
    // The connection is fine afterwards: the next supporter signs.
    expect((await signCampaign(t.db, campaign, values())).status).toBe("signed");
  });
});
