// Expectations come from the bundled snapshot (prisma/data, 2026-06-15): e.g. ZIP 98102 lies only
// in WA-7 (Pramila Jayapal), 98101 in WA-7 and WA-9 (Adam Smith), 94541 only in CA-14 (vacant).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../../test/db";
import { importTargets } from "./import.server";
import { districtCandidates, normalizeZip, resolveTargets, type Resolution } from "./resolve.server";

const ALL = { wantWhiteHouse: true, wantSenators: true, wantRepresentative: true };

let t: TestDb;

beforeAll(async () => {
  t = await createTestDb();
  await importTargets(t.db);
});

afterAll(async () => {
  await t.cleanup();
});

function names(resolution: Resolution): string[] {
  if (!resolution.ok) throw new Error(`expected a resolution, got ${resolution.field}: ${resolution.error}`);
  return resolution.offices.map((o) => `${o.title} ${o.fullName}`);
}

/** Runs `body` with an office deactivated, then puts it back for the other tests. */
async function withInactive(key: string, body: () => Promise<void>) {
  await t.db.office.update({ where: { key }, data: { active: false } });
  try {
    await body();
  } finally {
    await t.db.office.update({ where: { key }, data: { active: true } });
  }
}

describe("resolveTargets", () => {
  it("sends a single-district ZIP to the White House, both senators (senior first) and the representative, in that order", async () => {
    const r = await resolveTargets(t.db, { zip: "98102", state: "WA" }, ALL);
    expect(names(r)).toEqual([
      "President The President",
      "Senator Patty Murray",
      "Senator Maria Cantwell",
      "Representative Pramila Jayapal",
    ]);
    expect(r).toMatchObject({ ok: true, state: "WA", district: 7, vacancies: [] });
  });

  it("accepts ZIP+4 and a lower-case state", async () => {
    expect(normalizeZip("98102-1234")).toBe("98102");
    const r = await resolveTargets(t.db, { zip: " 98102-1234 ", state: "wa" }, ALL);
    expect(r).toMatchObject({ ok: true, state: "WA", district: 7 });
  });

  it("leaves out the offices a campaign does not target", async () => {
    const r = await resolveTargets(
      t.db,
      { zip: "98102", state: "WA" },
      { wantWhiteHouse: false, wantSenators: true, wantRepresentative: false },
    );
    expect(names(r)).toEqual(["Senator Patty Murray", "Senator Maria Cantwell"]);
  });

  it("asks the supporter to pick between the named representatives of a split ZIP", async () => {
    const r = await resolveTargets(t.db, { zip: "98101", state: "WA" }, ALL);
    expect(r.ok).toBe(false);
    if (r.ok || r.field !== "district") throw new Error("expected a district choice");
    expect(r.error).toMatch(/98101.*2 congressional districts/);
    expect(r.candidates.map((c) => c.label)).toEqual(["WA-7: Rep. Pramila Jayapal", "WA-9: Rep. Adam Smith"]);
    const smith = await t.db.office.findUniqueOrThrow({ where: { key: "S000510" } });
    expect(r.candidates[1]).toEqual({ district: 9, label: "WA-9: Rep. Adam Smith", officeId: smith.id });
  });

  it("uses the district the supporter picked for a split ZIP", async () => {
    const r = await resolveTargets(t.db, { zip: "98101", state: "WA", district: 9 }, ALL);
    expect(r).toMatchObject({ ok: true, district: 9 });
    expect(names(r).at(-1)).toBe("Representative Adam Smith");
  });

  it("refuses a district the ZIP does not lie in, and offers the right ones", async () => {
    const r = await resolveTargets(t.db, { zip: "98101", state: "WA", district: 3 }, ALL);
    expect(r).toMatchObject({ ok: false, field: "district" });
    if (r.ok || r.field !== "district") return;
    expect(r.error).toContain("WA-3 does not include ZIP 98101");
    expect(r.candidates.map((c) => c.district)).toEqual([7, 9]);
  });

  it("needs no district choice for a split ZIP when the campaign skips representatives", async () => {
    const r = await resolveTargets(
      t.db,
      { zip: "98101", state: "WA" },
      { wantWhiteHouse: true, wantSenators: true, wantRepresentative: false },
    );
    expect(r).toMatchObject({ ok: true, district: null });
    expect(names(r)).toHaveLength(3);
  });

  it.each([
    ["82001", "WY", "Representative Harriet M. Hageman"],
    ["05401", "VT", "Representative Becca Balint"],
    ["99501", "AK", "Representative Nicholas J. Begich III"],
  ])("sends at-large ZIP %s (%s) to district 0", async (zip, state, representative) => {
    const r = await resolveTargets(t.db, { zip, state }, ALL);
    expect(r).toMatchObject({ ok: true, district: 0, vacancies: [] });
    expect(names(r)).toHaveLength(4);
    expect(names(r).at(-1)).toBe(representative);
  });

  it("sends a DC ZIP to its Delegate and to no senators, without calling that a vacancy", async () => {
    const r = await resolveTargets(t.db, { zip: "20001", state: "DC" }, ALL);
    expect(names(r)).toEqual(["President The President", "Delegate Eleanor Holmes Norton"]);
    expect(r).toMatchObject({ ok: true, district: 0, vacancies: [] });
  });

  it("sends a Puerto Rico ZIP to the Resident Commissioner and to no senators", async () => {
    const r = await resolveTargets(t.db, { zip: "00901", state: "PR" }, ALL);
    expect(names(r)).toEqual(["President The President", "Resident Commissioner Pablo José Hernández"]);
    expect(r).toMatchObject({ ok: true, vacancies: [] });
  });

  it.each([
    ["GU", "96910", "Delegate James C. Moylan"],
    ["VI", "00802", "Delegate"],
    ["AS", "96799", "Delegate"],
    ["MP", "96950", "Delegate"],
  ])("sends a %s ZIP (not in the Census table) to its delegate and to no senators", async (state, zip, title) => {
    const r = await resolveTargets(t.db, { zip, state }, ALL);
    expect(r).toMatchObject({ ok: true, state, district: 0 });
    expect(names(r)).toHaveLength(2);
    expect(names(r)[0]).toBe("President The President");
    expect(names(r)[1]).toContain(title);
  });

  it("a territory ZIP given with another state is an error naming the territory", async () => {
    const r = await resolveTargets(t.db, { zip: "96910", state: "HI" }, ALL);
    expect(r).toMatchObject({ ok: false, field: "zip", error: expect.stringContaining("Guam") });
  });

  it("says plainly when it does not know a ZIP", async () => {
    const r = await resolveTargets(t.db, { zip: "00000", state: "WA" }, ALL);
    expect(r).toMatchObject({
      ok: false,
      field: "zip",
      error: expect.stringMatching(/^We don't know the ZIP code 00000\. Check it/),
    });
  });

  it.each(["9810", "981011", "ABCDE", ""])("rejects %j as a ZIP", async (zip) => {
    expect(await resolveTargets(t.db, { zip, state: "WA" }, ALL)).toMatchObject({ ok: false, field: "zip" });
  });

  it("rejects a state it does not serve", async () => {
    expect(await resolveTargets(t.db, { zip: "98101", state: "XX" }, ALL)).toMatchObject({
      ok: false,
      field: "state",
    });
  });

  it("names both states when the ZIP is not in the chosen one", async () => {
    const r = await resolveTargets(t.db, { zip: "98101", state: "OR" }, ALL);
    expect(r).toMatchObject({
      ok: false,
      field: "zip",
      error: expect.stringContaining("ZIP 98101 is in Washington, not Oregon"),
    });
  });

  it("accepts a ZIP that straddles a state line in either of its states", async () => {
    const alabama = await resolveTargets(t.db, { zip: "30165", state: "AL" }, ALL);
    const georgia = await resolveTargets(t.db, { zip: "30165", state: "GA" }, ALL);
    expect(alabama).toMatchObject({ ok: true, state: "AL", district: 3 });
    expect(georgia).toMatchObject({ ok: true, state: "GA", district: 14 });
    const oregon = await resolveTargets(t.db, { zip: "30165", state: "OR" }, ALL);
    expect(oregon).toMatchObject({
      ok: false,
      field: "zip",
      error: expect.stringContaining("ZIP 30165 is in Alabama or Georgia, not Oregon"),
    });
  });

  it("reports a vacant House seat and still sends the other letters", async () => {
    const r = await resolveTargets(t.db, { zip: "94541", state: "CA" }, ALL);
    expect(names(r)).toEqual(["President The President", "Senator Alex Padilla", "Senator Adam B. Schiff"]);
    expect(r).toMatchObject({
      ok: true,
      district: 14,
      vacancies: [
        {
          chamber: "house",
          state: "CA",
          district: 14,
          description:
            "The seat for California's 14th congressional district is vacant right now; your other letters will still go.",
        },
      ],
    });
  });

  it("labels a vacant district among a split ZIP's candidates", async () => {
    const r = await resolveTargets(t.db, { zip: "94536", state: "CA" }, ALL);
    if (r.ok || r.field !== "district") throw new Error("expected a district choice");
    expect(r.candidates).toEqual([
      { district: 14, label: "CA-14 (vacant)", officeId: null },
      expect.objectContaining({ district: 17, label: "CA-17: Rep. Ro Khanna" }),
    ]);
  });

  it("reports a Senate seat with no active senator as vacant", async () => {
    await withInactive("C000127", async () => {
      const r = await resolveTargets(t.db, { zip: "98102", state: "WA" }, ALL);
      expect(names(r)).toEqual(["President The President", "Senator Patty Murray", "Representative Pramila Jayapal"]);
      expect(r.ok && r.vacancies).toEqual([
        {
          chamber: "senate",
          state: "WA",
          district: null,
          description: "One of Washington's two Senate seats is vacant right now; your other letters will still go.",
        },
      ]);
    });
  });

  it("leaves out an office an organizer deactivated", async () => {
    await withInactive("WH", async () => {
      const r = await resolveTargets(t.db, { zip: "98102", state: "WA" }, ALL);
      expect(names(r)).not.toContain("President The President");
      expect(names(r)).toHaveLength(3);
    });
  });
});

describe("districtCandidates", () => {
  it("lists the named representatives of a ZIP", async () => {
    const candidates = await districtCandidates(t.db, "98101", "WA");
    expect(candidates.map((c) => c.label)).toEqual(["WA-7: Rep. Pramila Jayapal", "WA-9: Rep. Adam Smith"]);
  });

  it("lists every state's districts when no state is given", async () => {
    const candidates = await districtCandidates(t.db, "30165");
    expect(candidates.map((c) => c.label)).toEqual([
      expect.stringMatching(/^AL-3: Rep\. /),
      expect.stringMatching(/^GA-14: Rep\. /),
    ]);
  });

  it("has none for an unknown or malformed ZIP", async () => {
    expect(await districtCandidates(t.db, "00000")).toEqual([]);
    expect(await districtCandidates(t.db, "98")).toEqual([]);
    expect(await districtCandidates(t.db, "98101", "OR")).toEqual([]);
  });
});
