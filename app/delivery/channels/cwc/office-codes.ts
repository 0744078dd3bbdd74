// The office codes the House's and the Senate's Communicating with Congress services address
// offices by. House: "H", the state, the district in two digits ("HVT00" for an at-large seat,
// a delegate or the resident commissioner). Senate: "S", the state, "0" and the senator's class
// ("SMN01" for the class 1 senator of Minnesota).
import type { LetterOffice } from "../channel";

/**
 * The two letters CWC puts in a House office's code. American Samoa's office is "HAQ00" (the
 * House's code for it), while its constituents' StateAbbreviation stays the postal "AS".
 */
const HOUSE_CODE_STATE: Readonly<Record<string, string>> = { AS: "AQ" };

/** The office's CWC code, or null when CWC does not address it (the White House, other offices). */
export function cwcOfficeCode(office: LetterOffice): string | null {
  const state = office.state?.trim().toUpperCase();
  if (!state || !/^[A-Z]{2}$/.test(state)) return null;
  if (office.chamber === "house") {
    const district = office.district ?? 0;
    if (!Number.isInteger(district) || district < 0 || district > 99) return null;
    return `H${HOUSE_CODE_STATE[state] ?? state}${String(district).padStart(2, "0")}`;
  }
  if (office.chamber === "senate") {
    const senateClass = office.senateClass;
    if (senateClass !== 1 && senateClass !== 2 && senateClass !== 3) return null;
    return `S${state}0${senateClass}`;
  }
  return null;
}

/** Which CWC service an office code belongs to. */
export function cwcChamberOfCode(code: string): "house" | "senate" | null {
  if (/^H[A-Z]{2}[0-9]{2}$/.test(code)) return "house";
  if (/^S[A-Z]{2}0[1-3]$/.test(code)) return "senate";
  return null;
}
