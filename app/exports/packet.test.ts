// The hand-delivery packet holds the letters of counted signatures to one office only, and
// its PDF is written whatever characters the supporters typed.
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCampaign, seedLetter, seedOffice } from "../../test/seed";
import { createTestDb, type TestDb } from "../../test/db";
import { findPacket, packetPage, writePacketPdf } from "./packet.server";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.cleanup();
});

describe("a hand-delivery packet", () => {
  it("has the office's counted letters and signers, and a PDF of them", async () => {
    const campaign = await seedCampaign(t.db);
    const senator = await seedOffice(t.db);
    const other = await seedOffice(t.db, { lastName: "Murray", fullName: "Patty Murray" });
    await seedLetter(t.db, { campaign, office: senator, firstName: "Zoë", lastName: "Ñúñez 山田 🕊" });
    await seedLetter(t.db, { campaign, office: senator, firstName: "Pending", confirmed: false });
    const rejected = await seedLetter(t.db, { campaign, office: senator, firstName: "Rejected" });
    await t.db.signature.update({ where: { id: rejected.signatureId }, data: { moderation: "rejected" } });
    const erased = await seedLetter(t.db, { campaign, office: senator, firstName: "Erased" });
    await t.db.signature.update({ where: { id: erased.signatureId }, data: { erasedAt: new Date() } });
    await seedLetter(t.db, { campaign, office: other, firstName: "Elsewhere" });

    const packet = (await findPacket(t.db, campaign.slug, senator.key))!;
    expect(packet.count).toBe(1);
    const page = await packetPage(t.db, packet);
    expect(page.signers.map((s) => s.firstName)).toEqual(["Zoë"]);
    expect(page.letters).toHaveLength(1);
    expect(page.letters[0].text).toContain("Dear Senator Cantwell");

    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (c: Buffer) => chunks.push(c));
    expect(await writePacketPdf(t.db, packet, out)).toBe(1);
    const pdf = Buffer.concat(chunks);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    // A cover page, one page per letter, and the signers' list.
    expect(pdf.toString("latin1").match(/\/Type \/Page\b/g)).toHaveLength(3);
  });

  it("is null for an unknown office or campaign", async () => {
    const campaign = await seedCampaign(t.db);
    expect(await findPacket(t.db, campaign.slug, "NOPE")).toBeNull();
    expect(await findPacket(t.db, "no-such-campaign", "WH")).toBeNull();
  });
});
