import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cwcLetter, deliveryAgent } from "../../../../test/fakes/cwc-letters";
import { CWC_SCHEMA, SchemaChecker } from "../../../../test/fakes/cwc-service";
import { SENATE_CWC_SCHEMA } from "../../../../test/fakes/senate-cwc";
import type { LetterOffice } from "../channel";
import { composeCwcMessage } from "./message.server";
import { cwcOfficeCode } from "./office-codes";

interface Legislator {
  id: { bioguide: string };
  name: { official_full?: string; first: string; last: string };
  terms: Array<{ type: "sen" | "rep"; state: string; district?: number; class?: number }>;
}

// The project's own copy of the legislators file, as the targets importer reads it.
const legislators: Legislator[] = JSON.parse(
  readFileSync(new URL("../../../../prisma/data/legislators-current.json", import.meta.url), "utf8"),
);

function officeOf(person: Legislator): LetterOffice {
  const term = person.terms[person.terms.length - 1];
  return {
    key: person.id.bioguide,
    chamber: term.type === "sen" ? "senate" : "house",
    title: term.type === "sen" ? "Senator" : "Representative",
    fullName: person.name.official_full ?? `${person.name.first} ${person.name.last}`,
    state: term.state,
    district: term.type === "rep" ? (term.district ?? 0) : null,
    senateClass: term.type === "sen" ? (term.class ?? null) : null,
    postalAddress: null,
    email: null,
  };
}

const offices = legislators.map(officeOf);
const senators = offices.filter((o) => o.chamber === "senate");
const house = offices.filter((o) => o.chamber === "house");

describe("CWC office codes of the bundled offices", () => {
  it("gives the 100 senators S, the state, 0 and their class, one office each", () => {
    expect(senators).toHaveLength(100);
    const codes = senators.map((o) => cwcOfficeCode(o));
    for (const [i, code] of codes.entries()) {
      expect(code).toBe(`S${senators[i].state}0${senators[i].senateClass}`);
    }
    expect(new Set(codes).size).toBe(100);
    expect(cwcOfficeCode(senators.find((o) => o.key === "K000367")!)).toBe("SMN01");
    expect(cwcOfficeCode(senators.find((o) => o.key === "P000145")!)).toBe("SCA03");
  });

  it("gives representatives, delegates and the resident commissioner H, the state and two digits", () => {
    expect(house).toHaveLength(437);
    for (const office of house) {
      const state = office.state === "AS" ? "AQ" : office.state;
      expect(cwcOfficeCode(office)).toBe(`H${state}${String(office.district).padStart(2, "0")}`);
    }
    expect(new Set(house.map(cwcOfficeCode)).size).toBe(437);
    const byState = (state: string) => cwcOfficeCode(house.find((o) => o.state === state)!);
    expect([byState("AK"), byState("DC"), byState("PR"), byState("AS"), byState("VT")]).toEqual([
      "HAK00",
      "HDC00",
      "HPR00",
      "HAQ00",
      "HVT00",
    ]);
  });

  it("gives the White House and a senator of unknown class no code", () => {
    const whiteHouse: LetterOffice = { ...house[0], key: "WH", chamber: "president", state: null, district: null };
    expect(cwcOfficeCode(whiteHouse)).toBeNull();
    expect(cwcOfficeCode({ ...senators[0], senateClass: null })).toBeNull();
  });

  it("composes a message for every House and Senate office that the schema accepts", async () => {
    const compose = (office: LetterOffice, chamber: "house" | "senate") => {
      // A constituent of the office's own state; American Samoa's constituents stay "AS".
      const letter = cwcLetter(office, { deliveryId: `d-${office.key}`, sender: { state: office.state! } });
      const message = composeCwcMessage(letter, deliveryAgent, chamber);
      if (!message.ok) throw new Error(`${office.key}: ${message.problems.map((p) => p.message).join("; ")}`);
      return message.xml;
    };
    const houseXml = house.map((o) => compose(o, "house"));
    const senateXml = senators.map((o) => compose(o, "senate"));
    expect(houseXml.find((xml) => xml.includes("<MemberOffice>HAQ00</MemberOffice>"))).toContain(
      "<StateAbbreviation>AS</StateAbbreviation>",
    );

    const houseErrors = await new SchemaChecker(CWC_SCHEMA).errorsOfAll(houseXml);
    expect(houseErrors.flat()).toEqual([]);
    const senateErrors = await new SchemaChecker(SENATE_CWC_SCHEMA).errorsOfAll(senateXml);
    expect(senateErrors.flat()).toEqual([]);
    // The checker does refuse: a Senate code against the House's own schema.
    const refused = await new SchemaChecker(CWC_SCHEMA).errorsOfAll([senateXml[0]]);
    expect(refused[0].join(" ")).toMatch(/MemberOffice/);
  });
});
