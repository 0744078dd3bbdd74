// Rows for tests, seeded straight through Prisma: a campaign, an office, letters.
import { randomUUID } from "node:crypto";
import type { Db } from "~/db/client.server";
import type { Campaign, Letter, Office } from "~/generated/prisma/client";

export async function seedCampaign(
  db: Db,
  fields: { mode?: "test" | "live"; testInbox?: string | null } = {},
): Promise<Campaign> {
  return db.campaign.create({
    data: {
      slug: `ban-landmines-${randomUUID().slice(0, 8)}`,
      title: "Ban landmines and cluster munitions",
      summary: "Ask your officials to join the Mine Ban Treaty and the Convention on Cluster Munitions.",
      body: "The United States has not used antipersonnel mines since 1991.",
      template: "landmines-2020",
      status: "live",
      mode: fields.mode ?? "live",
      testInbox: fields.testInbox ?? null,
    },
  });
}

export async function seedOffice(
  db: Db,
  fields: Partial<Pick<Office, "email" | "active" | "title" | "fullName" | "chamber" | "lastName">> = {},
): Promise<Office> {
  return db.office.create({
    data: {
      key: `T${randomUUID().slice(0, 8)}`,
      chamber: fields.chamber ?? "senate",
      title: fields.title ?? "Senator",
      firstName: "Maria",
      lastName: fields.lastName ?? "Cantwell",
      fullName: fields.fullName ?? "Maria Cantwell",
      state: "WA",
      email: fields.email === undefined ? "senator@cantwell.example.gov" : fields.email,
      active: fields.active ?? true,
    },
  });
}

export async function seedLetter(
  db: Db,
  {
    campaign,
    office,
    ...supporter
  }: {
    campaign: Campaign;
    office: Office;
    firstName?: string;
    lastName?: string;
    email?: string;
    confirmed?: boolean;
  },
): Promise<Letter> {
  const signature = await db.signature.create({
    data: {
      campaignId: campaign.id,
      firstName: supporter.firstName ?? "Ada",
      lastName: supporter.lastName ?? "Lovelace",
      email: supporter.email ?? `ada.${randomUUID().slice(0, 8)}@supporters.example`,
      street: "1 Pike Street",
      city: "Seattle",
      state: "WA",
      zip: "98101",
      points: JSON.stringify(["ban", "accede"]),
      status: supporter.confirmed === false ? "pending" : "confirmed",
      confirmedAt: supporter.confirmed === false ? null : new Date(),
    },
  });
  return db.letter.create({
    data: {
      signatureId: signature.id,
      officeId: office.id,
      subject: "Please ban antipersonnel landmines and cluster munitions",
      salutation: `Dear ${office.title} ${office.lastName},`,
      bodyText: `Dear ${office.title} ${office.lastName},\n\nAs your constituent in Seattle, I ask you to support accession to the Mine Ban Treaty.\n\nSincerely,\nAda Lovelace`,
      bodyHtml: `<p>Dear ${office.title} ${office.lastName},</p><p>As your constituent in Seattle, I ask you to support accession to the Mine Ban Treaty.</p><p>Sincerely,<br>Ada Lovelace</p>`,
    },
  });
}

/** Many confirmed letters to one office, written in bulk; returns the letter ids. */
export async function seedManyLetters(db: Db, campaign: Campaign, office: Office, count: number): Promise<string[]> {
  const signatures = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    campaignId: campaign.id,
    firstName: "Supporter",
    lastName: `Number ${i}`,
    // A whole UUID: with six hex digits, 2,000 supporters in four calls collided once (a CI run).
    email: `supporter${i}.${randomUUID()}@supporters.example`,
    street: "1 Main Street",
    city: "Spokane",
    state: "WA",
    zip: "99201",
    points: "[]",
    status: "confirmed",
  }));
  await db.signature.createMany({ data: signatures });
  const letters = signatures.map((s) => ({
    id: randomUUID(),
    signatureId: s.id,
    officeId: office.id,
    subject: "Ban landmines",
    salutation: "Dear Senator,",
    bodyText: "Please ban landmines.",
    bodyHtml: "<p>Please ban landmines.</p>",
  }));
  await db.letter.createMany({ data: letters });
  return letters.map((l) => l.id);
}
