import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { hasSenators, houseTitle, stateName, US_STATES } from "./states";

describe("US_STATES", () => {
  it("lists the 50 states, DC, Puerto Rico and the four territories once each", () => {
    expect(US_STATES.filter((s) => s.kind === "state")).toHaveLength(50);
    expect(
      US_STATES.filter((s) => s.kind !== "state")
        .map((s) => s.code)
        .sort(),
    ).toEqual(["AS", "DC", "GU", "MP", "PR", "VI"]);
    expect(new Set(US_STATES.map((s) => s.code)).size).toBe(US_STATES.length);
  });

  it("covers every place a member of Congress in the bundled data represents", () => {
    const members: { terms: { state: string }[] }[] = JSON.parse(
      readFileSync("prisma/data/legislators-current.json", "utf8"),
    );
    const codes = new Set(US_STATES.map((s) => s.code));
    const missing = members.map((m) => m.terms.at(-1)!.state).filter((code) => !codes.has(code));
    expect(missing).toEqual([]);
  });

  it("names places and knows who has senators", () => {
    expect(stateName("wa")).toBe("Washington");
    expect(stateName("DC")).toBe("District of Columbia");
    expect(hasSenators("VT")).toBe(true);
    expect(hasSenators("DC")).toBe(false);
    expect(hasSenators("PR")).toBe(false);
    expect(houseTitle("PR")).toBe("Resident Commissioner");
    expect(houseTitle("GU")).toBe("Delegate");
    expect(houseTitle("WY")).toBe("Representative");
  });
});
