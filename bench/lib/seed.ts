// Data for the benchmark, written in bulk: confirmed supporters with their four letters queued (for
// the queue measurement) and plain signatures by the million (for the count page and the export).
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import type { Db } from "~/db/client.server";
import { createDeliveryStore } from "~/delivery/queue/store.server";
import { renderLetterEmail } from "../../emails/render.server";
import { composeLetter, type LetterOffice } from "~/letters/compose";
import { sqlitePath } from "~/db/client.server";

/** Four offices a Washington supporter writes to: the White House, two senators, one representative. */
async function fourOffices(db: Db) {
  const wh = await db.office.findFirstOrThrow({ where: { chamber: "white_house" } });
  const senators = await db.office.findMany({ where: { chamber: "senate", state: "WA", active: true }, take: 2 });
  const rep = await db.office.findFirstOrThrow({ where: { chamber: "house", state: "WA", district: 7, active: true } });
  return [wh, ...senators, rep];
}

/**
 * `supporters` confirmed signatures with one letter per office, each delivery queued. Letters are
 * composed and rendered by the app's own code; 200 distinct ones are reused so seeding stays quick.
 */
export async function seedQueuedLetters(db: Db, campaignId: string, supporters: number): Promise<number> {
  const campaign = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
  const offices = await fourOffices(db);
  const bodies: Array<{ subject: string; salutation: string; text: string; html: string }> = [];
  for (let i = 0; i < 50; i++) {
    for (const office of offices) {
      const letter = composeLetter({
        template: campaign.template,
        office: office as unknown as LetterOffice,
        supporter: {
          firstName: "Bench",
          lastName: `Supporter ${i}`,
          street: "1 Pike Street",
          city: "Seattle",
          state: "WA",
          zip: "98101",
          message: i % 3 === 0 ? "I have seen what these weapons leave behind." : null,
        },
        points: ["ban", "accede", "stockpiles"],
        seed: `${i}:${office.key}`,
      });
      const { html } = await renderLetterEmail(letter);
      bodies.push({ subject: letter.subject, salutation: letter.salutation, text: letter.text, html });
    }
  }

  const chunk = 500;
  let letters = 0;
  for (let start = 0; start < supporters; start += chunk) {
    const signatures = Array.from({ length: Math.min(chunk, supporters - start) }, (_, k) => ({
      id: randomUUID(),
      campaignId,
      firstName: "Bench",
      lastName: `Supporter ${start + k}`,
      email: `queue.${start + k}.${randomUUID().slice(0, 8)}@supporters.example`,
      street: "1 Pike Street",
      city: "Seattle",
      state: "WA",
      zip: "98101",
      district: 7,
      points: JSON.stringify(["ban", "accede", "stockpiles"]),
      status: "confirmed",
      confirmedAt: new Date(),
    }));
    await db.signature.createMany({ data: signatures });
    const rows = signatures.flatMap((s, k) =>
      offices.map((office, o) => {
        const body = bodies[((start + k) * offices.length + o) % bodies.length];
        return {
          id: randomUUID(),
          signatureId: s.id,
          officeId: office.id,
          subject: body.subject,
          salutation: body.salutation,
          bodyText: body.text,
          bodyHtml: body.html,
        };
      }),
    );
    await db.letter.createMany({ data: rows });
    letters += await createDeliveryStore(db).enqueueForLetters(rows.map((r) => r.id));
  }
  return letters;
}

/**
 * `count` signatures on one SQLite campaign, straight through better-sqlite3 in one transaction (the
 * counters' triggers run for every row, as they would for real signers). Confirmed, spread over 30
 * days and a few states, with a pending one in every ten.
 */
export function seedSignaturesSqlite(url: string, campaignId: string, count: number): void {
  const sqlite = new Database(sqlitePath(url));
  sqlite.pragma("journal_mode = WAL");
  const states = ["WA", "CA", "TX", "NY", "FL", "OH", "PA", "IL", "GA", "NC"];
  const insert = sqlite.prepare(
    `INSERT INTO "Signature" ("id","campaignId","firstName","lastName","email","street","city","state","zip","district",
       "points","message","consentToContact","status","createdAt","confirmedAt","emailsSent","moderation")
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?,0,?,?,?,0,'none')`,
  );
  const base = Date.now() - 30 * 86_400_000;
  const run = sqlite.transaction(() => {
    for (let i = 0; i < count; i++) {
      // Written the way the Prisma adapter writes dates ("…+00:00", not "…Z"): SQLite compares them as
      // text, and the export's keyset paging relies on one format.
      const created = new Date(base + Math.floor((i / count) * 30 * 86_400_000)).toISOString().replace("Z", "+00:00");
      const confirmed = i % 10 !== 0;
      insert.run(
        randomUUID(),
        campaignId,
        `Fírst${i}`,
        i % 50 === 0 ? `=HYPERLINK("x")${i}` : `Supporter${i}`,
        `bulk.${i}@supporters.example`,
        `${i} Main Street`,
        "Springfield",
        states[i % states.length],
        "98101",
        (i % 7) + 1,
        '["ban"]',
        i % 5 === 0 ? `Own words, "quoted", with a comma — ${i}` : null,
        confirmed ? "confirmed" : "pending",
        created,
        confirmed ? created : null,
      );
    }
  });
  run();
  sqlite.close();
}
