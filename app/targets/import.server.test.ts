import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../../test/db";
import { cwcOfficeCode } from "~/delivery/channels/cwc/office-codes";
import { letterOffice } from "~/delivery/channels/outgoing-letter";
import { backfillSenateClasses, ensureTargetsLoaded, importTargets, TargetsImportError } from "./import.server";
import { resolveTargets } from "./resolve.server";

const BUNDLED_LEGISLATORS = resolve("prisma/data/legislators-current.json");
const BUNDLED_ZCCD = resolve("prisma/data/zccd.csv");

interface Legislator {
  id: { bioguide: string };
  name: { first: string; last: string; official_full?: string };
  terms: { type: string; state: string; district?: number; phone?: string; [k: string]: unknown }[];
}

let scratch: string;
let legislators: Legislator[];
const open: TestDb[] = [];

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "sincerely-targets-"));
  legislators = JSON.parse(readFileSync(BUNDLED_LEGISLATORS, "utf8"));
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.cleanup()));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

async function freshDb(): Promise<TestDb> {
  const t = await createTestDb();
  open.push(t);
  return t;
}

function writeScratch(name: string, content: string): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

/** The bundled legislators file, changed by `edit`, written to a scratch file. */
function editedLegislators(name: string, edit: (list: Legislator[]) => Legislator[]): string {
  return writeScratch(name, JSON.stringify(edit(structuredClone(legislators))));
}

const ALL = { wantWhiteHouse: true, wantSenators: true, wantRepresentative: true };

describe("importTargets", () => {
  it("loads every sitting member, the White House and the ZIP table from the bundled files", async () => {
    const { db } = await freshDb();
    // How long it takes is the benchmark's business (`targets` in bench/run.ts).
    const report = await importTargets(db);

    expect(report).toMatchObject({ officesAdded: 538, officesDeactivated: 0, zipRows: 42033, zipCodes: 33774 });
    const count = (where: object) => db.office.count({ where: { active: true, ...where } });
    expect(await count({ chamber: "senate" })).toBe(100);
    expect(await count({ chamber: "house", title: "Representative" })).toBe(431);
    expect(await count({ chamber: "house", title: "Delegate" })).toBe(5);
    expect(await count({ chamber: "house", title: "Resident Commissioner" })).toBe(1);

    expect(await db.office.findUniqueOrThrow({ where: { key: "C000127" } })).toMatchObject({
      chamber: "senate",
      title: "Senator",
      firstName: "Maria",
      lastName: "Cantwell",
      fullName: "Maria Cantwell",
      state: "WA",
      district: null,
      party: "Democrat",
      phone: "202-224-3441",
      postalAddress: "511 Hart Senate Office Building Washington DC 20510",
      contactForm: "https://www.cantwell.senate.gov/public/index.cfm/email-maria",
      email: null,
    });
    // A nickname is how the member signs and is addressed ("Alex Padilla", not "Alejandro").
    expect(await db.office.findUniqueOrThrow({ where: { key: "P000145" } })).toMatchObject({
      firstName: "Alex",
      fullName: "Alex Padilla",
    });
    expect(await db.office.findUniqueOrThrow({ where: { key: "WH" } })).toMatchObject({
      chamber: "white_house",
      title: "President",
      fullName: "The President",
      postalAddress: "The White House, 1600 Pennsylvania Avenue NW, Washington, DC 20500",
      phone: "202-456-1111",
      email: null,
      active: true,
    });
  });

  it("gives every senator their class, so each office has the CWC code the channels address it by", async () => {
    const { db } = await freshDb();
    await importTargets(db);
    const offices = await db.office.findMany();
    const senators = offices.filter((o) => o.chamber === "senate");
    expect(senators).toHaveLength(100);
    for (const senator of senators) expect([1, 2, 3]).toContain(senator.senateClass);
    // Two senators a state, of two different classes.
    const classesOf = new Map<string | null, Set<number | null>>();
    for (const o of senators) classesOf.set(o.state, (classesOf.get(o.state) ?? new Set()).add(o.senateClass));
    expect([...classesOf.values()].every((classes) => classes.size === 2)).toBe(true);
    expect(offices.filter((o) => o.chamber !== "senate").every((o) => o.senateClass === null)).toBe(true);

    const code = (key: string) => cwcOfficeCode(letterOffice(offices.find((o) => o.key === key)!));
    expect(code("K000367")).toBe("SMN01"); // Klobuchar
    expect(code("S001203")).toBe("SMN02"); // Tina Smith
    expect(code("P000145")).toBe("SCA03"); // Padilla
    expect(code("S001150")).toBe("SCA01"); // Schiff
    expect(code("S000033")).toBe("SVT01"); // Sanders
    expect(code("W000800")).toBe("SVT03"); // Welch
    expect(code("B001318")).toBe("HVT00"); // Balint, at large
    expect(code("WH")).toBeNull();
    const codes = offices.map((o) => cwcOfficeCode(letterOffice(o))).filter((c) => c !== null);
    expect(new Set(codes).size).toBe(537);
  });

  it("updates a senator's class on re-import, and leaves it unknown when the file has none", async () => {
    const { db } = await freshDb();
    await importTargets(db);
    const path = editedLegislators("classes.json", (list) => {
      delete list.find((p) => p.id.bioguide === "S000033")!.terms.at(-1)!.class;
      list.find((p) => p.id.bioguide === "W000800")!.terms.at(-1)!.class = 2;
      return list;
    });
    const report = await importTargets(db, { legislatorsPath: path, zccdPath: BUNDLED_ZCCD });
    expect(report).toMatchObject({ officesUpdated: 2, officesUnchanged: 536 });
    expect(await db.office.findUniqueOrThrow({ where: { key: "S000033" } })).toMatchObject({ senateClass: null });
    expect(await db.office.findUniqueOrThrow({ where: { key: "W000800" } })).toMatchObject({ senateClass: 2 });
  });

  it("refuses a senator's class that is not 1, 2 or 3", async () => {
    const { db } = await freshDb();
    const path = editedLegislators("bad-class.json", (list) => {
      list.find((p) => p.id.bioguide === "S000033")!.terms.at(-1)!.class = 4;
      return list;
    });
    await expect(importTargets(db, { legislatorsPath: path, zccdPath: BUNDLED_ZCCD })).rejects.toThrow(
      /S000033.*class/,
    );
  });

  it("refreshes members: the departed become inactive, the new arrive, organizers' choices survive", async () => {
    const { db } = await freshDb();
    await importTargets(db);
    // The organizer got a staffer's address for Cantwell, turned off Adam Smith's office,
    // and added an office of their own.
    await db.office.update({ where: { key: "C000127" }, data: { email: "letters@cantwell.example" } });
    await db.office.update({ where: { key: "S000510" }, data: { active: false } });
    await db.office.create({
      data: {
        key: "organizer-added-1",
        chamber: "house",
        title: "Representative",
        lastName: "Custom",
        fullName: "A Custom Office",
        state: "WA",
        district: 99,
      },
    });

    // Jayapal (WA-7) leaves; a special election fills the seat; Murray's phone number changes.
    const path = editedLegislators("refresh.json", (list) => {
      const kept = list.filter((p) => p.id.bioguide !== "J000298");
      kept.find((p) => p.id.bioguide === "M001111")!.terms.at(-1)!.phone = "202-555-0100";
      kept.push({
        id: { bioguide: "Z000999" },
        name: { first: "Zoe", last: "Newmember" },
        terms: [{ type: "rep", start: "2026-06-10", end: "2027-01-03", state: "WA", district: 7, party: "Democrat" }],
      });
      return kept;
    });
    const report = await importTargets(db, { legislatorsPath: path, zccdPath: BUNDLED_ZCCD });

    expect(report).toMatchObject({
      officesAdded: 1,
      officesUpdated: 1,
      officesUnchanged: 536,
      officesDeactivated: 1,
      officesKeptInactive: ["S000510"],
    });
    expect(await db.office.findUniqueOrThrow({ where: { key: "J000298" } })).toMatchObject({ active: false });
    expect(await db.office.findUniqueOrThrow({ where: { key: "M001111" } })).toMatchObject({ phone: "202-555-0100" });
    expect(await db.office.findUniqueOrThrow({ where: { key: "C000127" } })).toMatchObject({
      email: "letters@cantwell.example",
      active: true,
    });
    expect(await db.office.findUniqueOrThrow({ where: { key: "S000510" } })).toMatchObject({ active: false });
    expect(await db.office.findUniqueOrThrow({ where: { key: "organizer-added-1" } })).toMatchObject({ active: true });

    // Supporters in WA-7 now write to the new member.
    const r = await resolveTargets(db, { zip: "98102", state: "WA" }, ALL);
    expect(r.ok && r.offices.map((o) => o.fullName)).toContain("Zoe Newmember");
  });

  it("rejects a malformed ZIP line by number and changes nothing", async () => {
    const { db } = await freshDb();
    await importTargets(db);
    const csv = [
      "state_fips,state_abbr,zcta,cd",
      "53,WA,98101,7",
      "53,WA,98101,9",
      "53,WA,9810X,7",
      "53,WA,98102,7",
    ].join("\r\n");
    const badCsv = writeScratch("bad.csv", csv);
    const withoutJayapal = editedLegislators("without.json", (list) => list.filter((p) => p.id.bioguide !== "J000298"));

    const attempt = importTargets(db, { legislatorsPath: withoutJayapal, zccdPath: badCsv });
    await expect(attempt).rejects.toBeInstanceOf(TargetsImportError);
    await expect(attempt).rejects.toThrow(/bad\.csv line 4: ZIP "9810X" is not 5 digits/);

    expect(await db.zipDistrict.count()).toBe(42033);
    expect(await db.office.findUniqueOrThrow({ where: { key: "J000298" } })).toMatchObject({ active: true });
  });

  it.each([
    ["a missing column", "53,WA,98101", /line 2: expected 4 columns, found 3/],
    ["an unknown state", "99,ZZ,98101,7", /line 2: unknown state "ZZ"/],
    [
      "a state code that does not match its FIPS code",
      "41,WA,98101,7",
      /line 2: state FIPS code "41" does not belong to WA/,
    ],
    ["a district that is not a number", "53,WA,98101,seven", /line 2: district "seven"/],
  ])("names the line of %s", async (_what, line, message) => {
    const { db } = await freshDb();
    const path = writeScratch("one.csv", `state_fips,state_abbr,zcta,cd\n${line}\n`);
    await expect(importTargets(db, { zccdPath: path })).rejects.toThrow(message);
    expect(await db.office.count()).toBe(0);
  });

  it("rejects a file that is not the ZIP table", async () => {
    const { db } = await freshDb();
    const path = writeScratch("other.csv", "zip,district\n98101,7\n");
    await expect(importTargets(db, { zccdPath: path })).rejects.toThrow(/line 1: expected the header/);
  });

  it("names the legislator entry that does not fit the upstream format", async () => {
    const { db } = await freshDb();
    await importTargets(db);
    const path = editedLegislators("broken.json", (list) => {
      list[2].terms.at(-1)!.type = "delegate";
      return list;
    });
    await expect(importTargets(db, { legislatorsPath: path })).rejects.toThrow(
      new RegExp(`entry 3 \\(${legislators[2].id.bioguide}\\): terms\\.\\d+\\.type`),
    );
    expect(await db.office.count({ where: { active: true } })).toBe(538);
  });

  it("rejects a legislators file that is not a list of members", async () => {
    const { db } = await freshDb();
    const path = writeScratch("empty.json", "[]");
    await expect(importTargets(db, { legislatorsPath: path })).rejects.toThrow(/non-empty JSON array/);
    const notJson = writeScratch("not.json", "<html>");
    await expect(importTargets(db, { legislatorsPath: notJson })).rejects.toThrow(/not valid JSON/);
  });
});

describe("ensureTargetsLoaded", () => {
  it("loads the bundled data into a fresh database once, and leaves later edits alone", async () => {
    const { db } = await freshDb();
    expect(await ensureTargetsLoaded(db)).toMatchObject({ officesAdded: 538, zipRows: 42033 });

    await db.office.update({ where: { key: "WH" }, data: { active: false } });
    expect(await ensureTargetsLoaded(db)).toBeNull();
    expect(await db.office.findUniqueOrThrow({ where: { key: "WH" } })).toMatchObject({ active: false });
  });

  it("gives senators loaded before offices had a class theirs from the bundled file, and nothing else", async () => {
    const { db } = await freshDb();
    await importTargets(db);
    // As the channels migration leaves an existing install: no classes yet, and an organizer's change.
    await db.office.updateMany({ where: { chamber: "senate" }, data: { senateClass: null } });
    await db.office.update({ where: { key: "K000367" }, data: { phone: "202-555-0199" } });
    expect(await ensureTargetsLoaded(db)).toBeNull();
    expect(await db.office.count({ where: { chamber: "senate", senateClass: null } })).toBe(0);
    expect(await db.office.findUniqueOrThrow({ where: { key: "K000367" } })).toMatchObject({
      senateClass: 1,
      phone: "202-555-0199",
    });
    expect(await backfillSenateClasses(db)).toBe(0);
  });

  it("still loads members and ZIPs when only an office someone created first is there", async () => {
    const { db } = await freshDb();
    await db.office.create({
      data: {
        key: "WH",
        chamber: "white_house",
        title: "President",
        lastName: "President",
        fullName: "The President",
        email: "wh@example.org",
      },
    });
    expect(await ensureTargetsLoaded(db)).toMatchObject({ officesAdded: 537 });
    expect(await db.office.findUniqueOrThrow({ where: { key: "WH" } })).toMatchObject({ email: "wh@example.org" });
    expect(await db.zipDistrict.count()).toBe(42033);
  });
});
