// From a supporter's ZIP code and state to the offices their letters go to. The ZIP table maps
// a ZIP to every district it touches; when there are several we never guess, but name the
// candidates for the supporter to pick from. A vacant seat is reported, not an error: the
// supporter's other letters still go.
import type { Db } from "~/db/client.server";
import type { Office } from "~/generated/prisma/client";
import { officeFromRow } from "./office-row.server";
import { selectWantedOfficeRows, selectZipDistricts, zipIsKnown } from "./resolve.sql.server";
import { findState, hasSenators, houseTitle, stateName, type UsState } from "~/offices/states";

export interface TargetChoice {
  wantWhiteHouse: boolean;
  wantSenators: boolean;
  wantRepresentative: boolean;
}

export interface DistrictCandidate {
  district: number;
  /** "AL-6: Rep. Gary Palmer" or "AL-6 (vacant)". */
  label: string;
  officeId: string | null;
}

export interface Vacancy {
  chamber: "senate" | "house";
  state: string;
  district: number | null;
  /** A plain sentence for the supporter. */
  description: string;
}

export type Resolution =
  | { ok: false; field: "zip" | "state"; error: string }
  | { ok: false; field: "district"; error: string; candidates: DistrictCandidate[] }
  | { ok: true; state: string; district: number | null; offices: Office[]; vacancies: Vacancy[] };

export interface Whereabouts {
  zip: string;
  state: string;
  district?: number | null;
}

/** The 5-digit ZIP in "12345" or "12345-6789", or null. */
export function normalizeZip(input: string): string | null {
  const match = /^\s*([0-9]{5})(?:-?[0-9]{4})?\s*$/.exec(input);
  return match ? match[1] : null;
}

/** "1st", "2nd", "3rd", "11th", "22nd". */
function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? "th" : (({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th");
  return `${n}${suffix}`;
}

function possessive(place: UsState): string {
  return place.code === "DC" ? "the District of Columbia's" : `${place.name}'s`;
}

/** "WA-7"; "WY-AL" for an at-large seat. */
function districtCode(state: string, district: number): string {
  return `${state}-${district === 0 ? "AL" : district}`;
}

const SHORT_TITLE: Record<string, string> = {
  Representative: "Rep.",
  Delegate: "Del.",
  "Resident Commissioner": "Res. Comm.",
};

function candidateLabel(state: string, district: number, office: Office | undefined): string {
  const code = districtCode(state, district);
  if (!office) return `${code} (vacant)`;
  const title = SHORT_TITLE[office.title] ?? office.title;
  const name = office.firstName ? `${office.firstName} ${office.lastName}` : office.fullName;
  return `${code}: ${title} ${name}`;
}

function houseSeatName(place: UsState, district: number): string {
  const title = houseTitle(place.code);
  if (title === "Resident Commissioner") return `the office of the Resident Commissioner of ${place.name}`;
  if (title === "Delegate") return `the seat of ${possessive(place)} Delegate to the House`;
  const which = district === 0 ? "at-large" : ordinal(district);
  return `the seat for ${possessive(place)} ${which} congressional district`;
}

function capitalize(sentence: string): string {
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

// Letters go only where a seat is filled; the sentence tells the supporter why one is missing.
function vacancySentence(what: string, othersGo: boolean): string {
  const tail = othersGo ? "; your other letters will still go." : ", so there is no one to write to there for now.";
  return `${capitalize(what)} ${what.startsWith("both") ? "are" : "is"} vacant right now${tail}`;
}

const SENATE_RANKS = ["senior", "junior"];
/** Senior, junior, then a senator whose rank the data does not give. */
function rankOrder(office: Office): number {
  const index = SENATE_RANKS.indexOf(office.stateRank ?? "");
  return index === -1 ? SENATE_RANKS.length : index;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function activeRepresentatives(db: Db, state: string, districts: number[]) {
  return db.office.findMany({
    where: { chamber: "house", active: true, state, district: { in: districts } },
    // Should an organizer have added a second office for one seat, the newest one wins.
    orderBy: { createdAt: "desc" },
  });
}

/**
 * ZIP ranges of the territories the Census table leaves out (it has no ZCTAs for them). Each
 * elects one delegate at large, so a ZIP in the range is all we need. USPS ranges: Guam
 * 969 10–32, the Northern Mariana Islands 969 50–52, American Samoa 96799, the U.S. Virgin
 * Islands 008 01–51.
 */
const TERRITORY_ZIP_RANGES = [
  { state: "GU", from: 96910, to: 96932 },
  { state: "MP", from: 96950, to: 96952 },
  { state: "AS", from: 96799, to: 96799 },
  { state: "VI", from: 801, to: 851 },
];

/**
 * The districts a ZIP lies in, by state (only `state` if given). On the direct road, as the
 * offices below (resolve.sql.server.ts): every signature asks, and through Prisma the two reads
 * cost more than the rest of the lookup.
 */
async function zipDistricts(db: Db, zip: string, state?: string) {
  const rows = await selectZipDistricts(db, zip, state);
  if (rows.length > 0) return rows;
  if (state && (await zipIsKnown(db, zip))) return rows;
  const n = Number(zip);
  return TERRITORY_ZIP_RANGES.filter((r) => n >= r.from && n <= r.to && (!state || state === r.state)).map((r) => ({
    zip,
    state: r.state,
    district: 0,
  }));
}

async function candidatesFor(db: Db, state: string, districts: number[]): Promise<DistrictCandidate[]> {
  const offices = await activeRepresentatives(db, state, districts);
  return districts.map((district) => {
    const office = offices.find((o) => o.district === district);
    return {
      district,
      label: candidateLabel(state, district, office),
      officeId: office?.id ?? null,
    };
  });
}

/**
 * The representatives a ZIP could have, for a lookup route that shows the choice as soon as
 * the ZIP is typed. An invalid or unknown ZIP has none.
 */
export async function districtCandidates(db: Db, zip: string, state?: string): Promise<DistrictCandidate[]> {
  const code = normalizeZip(zip);
  if (!code) return [];
  const place = state ? findState(state) : undefined;
  if (state && !place) return [];
  const rows = await zipDistricts(db, code, place?.code);
  const states = [...new Set(rows.map((r) => r.state))];
  const lists = await Promise.all(
    states.map((s) =>
      candidatesFor(
        db,
        s,
        rows.filter((r) => r.state === s).map((r) => r.district),
      ),
    ),
  );
  return lists.flat();
}

function listOfStates(codes: string[]): string {
  const names = codes.map(stateName);
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

export async function resolveTargets(db: Db, where: Whereabouts, choice: TargetChoice): Promise<Resolution> {
  const zip = normalizeZip(where.zip);
  if (!zip) {
    return { ok: false, field: "zip", error: "Enter your 5-digit ZIP code, like 98101." };
  }
  const place = findState(where.state);
  if (!place) return { ok: false, field: "state", error: "Choose your state." };

  const rows = await zipDistricts(db, zip);
  if (rows.length === 0) {
    return {
      ok: false,
      field: "zip",
      error: `We don't know the ZIP code ${zip}. Check it, or use the ZIP code of the street address where you live (ZIP codes only for PO boxes or single buildings are not on our map).`,
    };
  }
  const districts = rows.filter((r) => r.state === place.code).map((r) => r.district);
  if (districts.length === 0) {
    const zipStates = [...new Set(rows.map((r) => r.state))];
    return {
      ok: false,
      field: "zip",
      error: `ZIP ${zip} is in ${listOfStates(zipStates)}, not ${place.name}. Check the ZIP code and the state.`,
    };
  }

  let district: number | null = null;
  if (districts.length === 1) {
    district = districts[0];
  } else if (where.district != null && districts.includes(where.district)) {
    district = where.district;
  } else if (choice.wantRepresentative) {
    const candidates = await candidatesFor(db, place.code, districts);
    const error =
      where.district == null
        ? `ZIP ${zip} is split between ${districts.length} congressional districts. Choose your representative.`
        : `${districtCode(place.code, where.district)} does not include ZIP ${zip}. Choose your representative from the districts that do.`;
    return { ok: false, field: "district", error, candidates };
  }
  // Without a representative to write to, a split ZIP needs no choice and the district stays unknown.

  const offices: Office[] = [];
  const missing: { chamber: "senate" | "house"; what: string; district: number | null }[] = [];

  // One read for every office this supporter writes to (each query costs a signature time).
  const wantSenators = choice.wantSenators && hasSenators(place.code);
  const wantRepresentative = choice.wantRepresentative && district !== null;
  const found = (
    await selectWantedOfficeRows(db, {
      whiteHouse: choice.wantWhiteHouse,
      senatorsOf: wantSenators ? place.code : null,
      representativeOf: wantRepresentative && district !== null ? { state: place.code, district } : null,
    })
  ).map(officeFromRow);
  const byCreation = (a: Office, b: Office) => a.createdAt.getTime() - b.createdAt.getTime();

  if (choice.wantWhiteHouse) {
    const [whiteHouse] = found.filter((o) => o.chamber === "white_house").sort(byCreation);
    if (whiteHouse) offices.push(whiteHouse);
  }

  if (wantSenators) {
    // The senior senator first, then by name for stability.
    const senators = found
      .filter((o) => o.chamber === "senate")
      .sort(
        (a, b) =>
          rankOrder(a) - rankOrder(b) ||
          compareText(a.lastName, b.lastName) ||
          compareText(a.firstName ?? "", b.firstName ?? ""),
      )
      .slice(0, 2);
    offices.push(...senators);
    if (senators.length === 1) {
      missing.push({ chamber: "senate", what: `one of ${possessive(place)} two Senate seats`, district: null });
    } else if (senators.length === 0) {
      missing.push({ chamber: "senate", what: `both of ${possessive(place)} Senate seats`, district: null });
    }
  }

  if (wantRepresentative) {
    // Should an organizer have added a second office for one seat, the newest one wins.
    const [representative] = found.filter((o) => o.chamber === "house").sort((a, b) => byCreation(b, a));
    if (representative) offices.push(representative);
    else missing.push({ chamber: "house", what: houseSeatName(place, district!), district });
  }

  const vacancies: Vacancy[] = missing.map((m) => ({
    chamber: m.chamber,
    state: place.code,
    district: m.district,
    description: vacancySentence(m.what, offices.length > 0),
  }));

  return { ok: true, state: place.code, district, offices, vacancies };
}
