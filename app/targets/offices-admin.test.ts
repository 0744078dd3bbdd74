// Offices as organizers manage them, on a real SQLite file with the bundled offices: CSV import
// of e-mail addresses, and letters rerouted when a legislators import shows a member left.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../../test/db";
import { saveCampaign, campaignFormDefaults, changeCampaignStatus } from "~/campaigns/admin.server";
import { CampaignFormSchema } from "~/campaigns/campaign-form";
import { SignSchema } from "~/campaigns/sign-schema";
import { signCampaign } from "~/campaigns/sign.server";
import { createDeliveryStore } from "~/delivery/queue/store.server";
import { importTargets } from "./import.server";
import { importOfficeEmails, listOffices, parseOfficeFilter } from "./offices-admin.server";

// Supporters' confirmation e-mails go to a scratch outbox folder.
const outbox = mkdtempSync(join(tmpdir(), "sincerely-outbox-"));
process.env.OUTBOX_DIR = outbox;

let t: TestDb;
let scratch: string;
beforeAll(async () => {
  t = await createTestDb();
  await importTargets(t.db);
  scratch = mkdtempSync(join(tmpdir(), "sincerely-offices-"));
});
afterAll(async () => {
  await t.cleanup();
  rmSync(scratch, { recursive: true, force: true });
  rmSync(outbox, { recursive: true, force: true });
});

const actor = { id: "o1", email: "organizer@coalition.example" };
let n = 0;

/** A live campaign in live mode (letters go to the offices) with one confirmed supporter in Seattle. */
async function supporterInSeattle(zip = "98103") {
  n++;
  const saved = await saveCampaign(
    t.db,
    null,
    CampaignFormSchema.parse({ ...campaignFormDefaults(null), title: `C${n}`, slug: `offices-${n}`, mode: "live" }),
    actor,
  );
  if (!saved.ok) throw new Error("save failed");
  const live = await changeCampaignStatus(t.db, saved.campaign, "live", actor);
  if (!live.ok) throw new Error(live.problems.join());
  const email = `supporter${n}@example.org`;
  await signCampaign(
    t.db,
    live.campaign,
    SignSchema.parse({
      firstName: "Grace",
      lastName: "Hopper",
      email,
      street: "1 Main St",
      city: "Seattle",
      state: "WA",
      zip,
      points: ["ban", "accede"],
    }),
  );
  const signature = await t.db.signature.update({
    where: { campaignId_email: { campaignId: live.campaign.id, email } },
    data: { status: "confirmed", confirmedAt: new Date() },
    include: { letters: true },
  });
  await createDeliveryStore(t.db).enqueueForLetters(signature.letters.map((l) => l.id));
  return signature;
}

async function deliveryTo(signatureId: string, officeKey: string) {
  return t.db.delivery.findFirstOrThrow({
    where: { letter: { signatureId, office: { key: officeKey } } },
    include: { letter: true },
  });
}

describe("importOfficeEmails", () => {
  it("refuses the whole file when one row is wrong, naming every bad line", async () => {
    const csv = [
      "bioguide_id,name,email",
      "C000127,Cantwell,staff@cantwell.example",
      "X999999,Nobody,a@b.example",
      "M001111,Murray,not-an-address",
      "C000127,Cantwell again,other@cantwell.example",
      ",Blank,blank@example.org",
    ].join("\n");
    const result = await importOfficeEmails(t.db, csv);
    expect(result).toEqual({
      ok: false,
      errors: [
        "Line 3: no office has the key X999999.",
        "Line 4: Enter an email address like name@example.org (got “not-an-address”).",
        "Line 5: C000127 is also on line 2.",
        "Line 6: the office (bioguide_id) is empty.",
      ],
    });
    expect((await t.db.office.findUniqueOrThrow({ where: { key: "C000127" } })).email).toBeNull();
  });

  it("names missing columns and broken CSV", async () => {
    expect(await importOfficeEmails(t.db, "name,address\nA,b@c.example")).toEqual({
      ok: false,
      errors: [
        "The header needs an office column (key or bioguide_id); it has: name, address.",
        "The header needs an email column; it has: name, address.",
      ],
    });
    const broken = await importOfficeEmails(t.db, 'key,email\n"WH,unterminated');
    expect(broken.ok === false && broken.errors[0]).toMatch(/^The file is not valid CSV/);
  });

  it("sets the addresses and releases the letters their offices were holding", async () => {
    const signature = await supporterInSeattle();
    // Live mode, no address yet: the worker holds the letter (simulated here as it records it).
    const held = await deliveryTo(signature.id, "C000127");
    await t.db.delivery.update({ where: { id: held.id }, data: { status: "held", lastError: "no e-mail address" } });

    const result = await importOfficeEmails(
      t.db,
      '\uFEFFKey,Email\nC000127,Staff@Cantwell.example\nWH,"president@whitehouse.example"\n',
    );
    expect(result).toEqual({ ok: true, rows: 2, changed: 2, unchanged: 0, released: 1 });
    expect((await t.db.office.findUniqueOrThrow({ where: { key: "C000127" } })).email).toBe("staff@cantwell.example");
    expect((await t.db.delivery.findUniqueOrThrow({ where: { id: held.id } })).status).toBe("queued");

    // The same file again changes nothing.
    expect(await importOfficeEmails(t.db, "key,email\nC000127,staff@cantwell.example")).toMatchObject({
      ok: true,
      changed: 0,
      unchanged: 1,
    });
  });
});

describe("office filters", () => {
  it("filters by chamber, state and text, ignoring values it does not know", async () => {
    const filter = parseOfficeFilter(new URLSearchParams("chamber=senate&state=wa&q=&show=bogus&page=-1"));
    expect(filter).toEqual({ chamber: "senate", state: "WA", q: undefined, show: undefined, page: 1 });
    const { offices, total } = await listOffices(t.db, filter);
    expect(total).toBe(2);
    expect(offices.map((o) => o.lastName).sort()).toEqual(["Cantwell", "Murray"]);
    expect(parseOfficeFilter(new URLSearchParams("chamber=kings&state=XX"))).toMatchObject({
      chamber: undefined,
      state: undefined,
    });
  });
});

describe("re-importing legislators", () => {
  interface Legislator {
    id: { bioguide: string };
    name: { first: string; last: string };
    terms: Record<string, unknown>[];
  }
  const bundled: Legislator[] = JSON.parse(readFileSync(resolve("prisma/data/legislators-current.json"), "utf8"));
  function legislatorsFile(name: string, edit: (list: Legislator[]) => Legislator[]) {
    const path = join(scratch, name);
    writeFileSync(path, JSON.stringify(edit(structuredClone(bundled))));
    return path;
  }
  const zccdPath = resolve("prisma/data/zccd.csv");

  it("reroutes waiting letters to the successor, recomposed, and holds those without one", async () => {
    const signature = await supporterInSeattle("98103");
    const toJayapal = await deliveryTo(signature.id, "J000298");
    const toCantwell = await deliveryTo(signature.id, "C000127");
    expect(toJayapal.letter.salutation).toBe("Dear Representative Jayapal,");

    // Jayapal (WA-7) leaves and Zoe Newmember wins the seat; Cantwell leaves, no successor yet.
    const path = legislatorsFile("successor.json", (list) => [
      ...list.filter((p) => !["J000298", "C000127"].includes(p.id.bioguide)),
      {
        id: { bioguide: "Z000999" },
        name: { first: "Zoe", last: "Newmember" },
        terms: [{ type: "rep", start: "2026-06-10", end: "2027-01-03", state: "WA", district: 7, party: "Democrat" }],
      },
    ]);
    // Every supporter's waiting letters move (the other tests here have supporters in WA-7 too).
    const waiting = (key: string) =>
      t.db.delivery.count({ where: { status: { in: ["queued", "held"] }, letter: { office: { key } } } });
    const [waitingJayapal, waitingCantwell] = [await waiting("J000298"), await waiting("C000127")];
    expect(waitingJayapal).toBeGreaterThan(0);
    const report = await importTargets(t.db, { legislatorsPath: path, zccdPath });
    expect(report).toMatchObject({
      officesDeactivated: 2,
      lettersRerouted: waitingJayapal,
      lettersHeld: waitingCantwell,
    });
    expect(await waiting("J000298")).toBe(0);

    const rerouted = await t.db.delivery.findUniqueOrThrow({
      where: { id: toJayapal.id },
      include: { letter: { include: { office: true } } },
    });
    expect(rerouted.status).toBe("queued");
    expect(rerouted.officeId).toBe(rerouted.letter.officeId);
    expect(rerouted.letter.office.key).toBe("Z000999");
    expect(rerouted.letter.salutation).toBe("Dear Representative Newmember,");
    expect(rerouted.letter.bodyText).toMatch(/^Dear Representative Newmember,/);
    expect(rerouted.letter.bodyHtml).toContain("Newmember");
    expect(rerouted.letter.bodyText).toContain("Grace Hopper");

    const held = await t.db.delivery.findUniqueOrThrow({ where: { id: toCantwell.id } });
    expect(held.status).toBe("held");
    expect(held.lastError).toMatch(/^Senator Maria Cantwell left office; no successor yet\./);

    // The counters follow the letters to the new office.
    const counts = await t.db.campaignOfficeDelivery.findMany({
      where: { campaignId: signature.campaignId, count: { gt: 0 } },
      include: { office: true },
    });
    expect(counts.map((c) => `${c.office.key}:${c.status}:${c.count}`).sort()).toEqual(
      ["C000127:held:1", "M001111:queued:1", "WH:queued:1", "Z000999:queued:1"].sort(),
    );

    // A later import brings Cantwell's successor: the held letter goes to them.
    const later = legislatorsFile("later.json", (list) => [
      ...list.filter((p) => !["J000298", "C000127"].includes(p.id.bioguide)),
      {
        id: { bioguide: "Z000999" },
        name: { first: "Zoe", last: "Newmember" },
        terms: [{ type: "rep", start: "2026-06-10", end: "2027-01-03", state: "WA", district: 7, party: "Democrat" }],
      },
      {
        id: { bioguide: "Y000111" },
        name: { first: "Yara", last: "Appointee" },
        terms: [{ type: "sen", start: "2026-07-01", end: "2027-01-03", state: "WA", party: "Democrat" }],
      },
    ]);
    expect(await importTargets(t.db, { legislatorsPath: later, zccdPath })).toMatchObject({
      lettersRerouted: waitingCantwell,
      lettersHeld: 0,
    });
    const moved = await t.db.delivery.findUniqueOrThrow({ where: { id: toCantwell.id }, include: { letter: true } });
    expect(moved).toMatchObject({ status: "queued", lastError: null });
    expect(moved.letter.salutation).toBe("Dear Senator Appointee,");
  });
});
