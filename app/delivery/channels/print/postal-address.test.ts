import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseLegislators, parseWhiteHouse } from "~/targets/import.server";
import { parseOfficeAddress } from "./postal-address";

const data = (name: string) => JSON.parse(readFileSync(join(process.cwd(), "prisma/data", name), "utf8")) as unknown;
// The offices exactly as the import stores them (Office.postalAddress).
const offices = parseLegislators(data("legislators-current.json"));
const whiteHouse = parseWhiteHouse(data("white-house.json"));

describe("offices' postal addresses", () => {
  it("reads every bundled office's address into Lob's fields, and refuses only the office that has none", () => {
    const refused: string[] = [];
    for (const office of offices) {
      const parsed = parseOfficeAddress(office.postalAddress);
      if (!parsed.ok) {
        refused.push(`${office.key}: ${parsed.reason}`);
        continue;
      }
      const { address } = parsed;
      expect(address.address_city, office.key).toBe("Washington");
      expect(address.address_state, office.key).toBe("DC");
      expect(address.address_zip, office.key).toMatch(office.chamber === "senate" ? /^20510$/ : /^20515(-\d{4})?$/);
      expect(address.address_line1, office.key).toMatch(
        /^[A-Z]?\d+[A-Z]? (Hart|Russell|Dirksen) Senate Office Building$|^\d+ (Rayburn|Cannon|Longworth) House Office Building$/,
      );
      expect(address.address_line2, office.key).toBeUndefined();
      expect(parsed.company, office.key).toBeNull();
      // Nothing is lost: the fields put back together are the bundled line.
      expect(`${address.address_line1} ${address.address_city} ${address.address_state} ${address.address_zip}`).toBe(
        office.postalAddress,
      );
    }
    expect(offices.length).toBeGreaterThan(500);
    // One member sworn in after the file's last address update has none yet.
    expect(refused).toEqual(["G000607: The office has no postal address."]);
  });

  it("reads the White House's address, its name kept apart from the street", () => {
    expect(parseOfficeAddress(whiteHouse.postalAddress)).toEqual({
      ok: true,
      company: "The White House",
      address: {
        address_line1: "1600 Pennsylvania Avenue NW",
        address_city: "Washington",
        address_state: "DC",
        address_zip: "20500",
      },
    });
  });

  it("reads addresses an organizer types on lines, with a suite and a ZIP+4", () => {
    expect(
      parseOfficeAddress("Office of the Secretary\n1849 C Street NW\nSuite 200\nWashington, DC 20240-0001"),
    ).toEqual({
      ok: true,
      company: "Office of the Secretary",
      address: {
        address_line1: "1849 C Street NW",
        address_line2: "Suite 200",
        address_city: "Washington",
        address_state: "DC",
        address_zip: "20240-0001",
      },
    });
    expect(parseOfficeAddress("100 State Street, Montpelier, VT 05633")).toMatchObject({
      ok: true,
      address: { address_line1: "100 State Street", address_city: "Montpelier", address_state: "VT" },
    });
  });

  it.each([
    ["", "has no postal address"],
    [null, "has no postal address"],
    ["511 Hart Senate Office Building", "does not end with a state and a ZIP code"],
    ["511 Hart Senate Office Building Washington ZZ 20510", '"ZZ" is not a US state'],
    ["511 Hart Senate Office 20510 DC 20510", "cannot be told apart"],
    ["Hart Senate Office Building, Washington, DC 20510", "no street line with a number"],
    [`${"9".repeat(70)} Main Street, Springfield, IL 62701`, "longer than 64 characters"],
  ])("refuses %j with a reason a person can act on", (text, reason) => {
    const parsed = parseOfficeAddress(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toContain(reason);
  });
});
