// The places a supporter can live in and write from: the 50 states, the District of Columbia,
// Puerto Rico and the four inhabited territories with a seat in the House. Shared by the sign
// form (the State select) and the server (which places send senators). Facts from
// states_house_seats_119th.csv, derived from the bundled data (see prisma/data/PROVENANCE.md).

export type PlaceKind = "state" | "district" | "territory";

export interface UsState {
  /** USPS code, as used in addresses and by the upstream data. */
  code: string;
  name: string;
  /** Only a "state" has senators; the others send one non-voting member to the House. */
  kind: PlaceKind;
  /** Census FIPS code; null for the territories the ZIP table has no rows for. */
  fips: string | null;
}

export const US_STATES: readonly UsState[] = [
  { code: "AL", name: "Alabama", kind: "state", fips: "01" },
  { code: "AK", name: "Alaska", kind: "state", fips: "02" },
  { code: "AZ", name: "Arizona", kind: "state", fips: "04" },
  { code: "AR", name: "Arkansas", kind: "state", fips: "05" },
  { code: "CA", name: "California", kind: "state", fips: "06" },
  { code: "CO", name: "Colorado", kind: "state", fips: "08" },
  { code: "CT", name: "Connecticut", kind: "state", fips: "09" },
  { code: "DE", name: "Delaware", kind: "state", fips: "10" },
  { code: "DC", name: "District of Columbia", kind: "district", fips: "11" },
  { code: "FL", name: "Florida", kind: "state", fips: "12" },
  { code: "GA", name: "Georgia", kind: "state", fips: "13" },
  { code: "HI", name: "Hawaii", kind: "state", fips: "15" },
  { code: "ID", name: "Idaho", kind: "state", fips: "16" },
  { code: "IL", name: "Illinois", kind: "state", fips: "17" },
  { code: "IN", name: "Indiana", kind: "state", fips: "18" },
  { code: "IA", name: "Iowa", kind: "state", fips: "19" },
  { code: "KS", name: "Kansas", kind: "state", fips: "20" },
  { code: "KY", name: "Kentucky", kind: "state", fips: "21" },
  { code: "LA", name: "Louisiana", kind: "state", fips: "22" },
  { code: "ME", name: "Maine", kind: "state", fips: "23" },
  { code: "MD", name: "Maryland", kind: "state", fips: "24" },
  { code: "MA", name: "Massachusetts", kind: "state", fips: "25" },
  { code: "MI", name: "Michigan", kind: "state", fips: "26" },
  { code: "MN", name: "Minnesota", kind: "state", fips: "27" },
  { code: "MS", name: "Mississippi", kind: "state", fips: "28" },
  { code: "MO", name: "Missouri", kind: "state", fips: "29" },
  { code: "MT", name: "Montana", kind: "state", fips: "30" },
  { code: "NE", name: "Nebraska", kind: "state", fips: "31" },
  { code: "NV", name: "Nevada", kind: "state", fips: "32" },
  { code: "NH", name: "New Hampshire", kind: "state", fips: "33" },
  { code: "NJ", name: "New Jersey", kind: "state", fips: "34" },
  { code: "NM", name: "New Mexico", kind: "state", fips: "35" },
  { code: "NY", name: "New York", kind: "state", fips: "36" },
  { code: "NC", name: "North Carolina", kind: "state", fips: "37" },
  { code: "ND", name: "North Dakota", kind: "state", fips: "38" },
  { code: "OH", name: "Ohio", kind: "state", fips: "39" },
  { code: "OK", name: "Oklahoma", kind: "state", fips: "40" },
  { code: "OR", name: "Oregon", kind: "state", fips: "41" },
  { code: "PA", name: "Pennsylvania", kind: "state", fips: "42" },
  { code: "RI", name: "Rhode Island", kind: "state", fips: "44" },
  { code: "SC", name: "South Carolina", kind: "state", fips: "45" },
  { code: "SD", name: "South Dakota", kind: "state", fips: "46" },
  { code: "TN", name: "Tennessee", kind: "state", fips: "47" },
  { code: "TX", name: "Texas", kind: "state", fips: "48" },
  { code: "UT", name: "Utah", kind: "state", fips: "49" },
  { code: "VT", name: "Vermont", kind: "state", fips: "50" },
  { code: "VA", name: "Virginia", kind: "state", fips: "51" },
  { code: "WA", name: "Washington", kind: "state", fips: "53" },
  { code: "WV", name: "West Virginia", kind: "state", fips: "54" },
  { code: "WI", name: "Wisconsin", kind: "state", fips: "55" },
  { code: "WY", name: "Wyoming", kind: "state", fips: "56" },
  { code: "AS", name: "American Samoa", kind: "territory", fips: null },
  { code: "GU", name: "Guam", kind: "territory", fips: null },
  { code: "MP", name: "Northern Mariana Islands", kind: "territory", fips: null },
  { code: "PR", name: "Puerto Rico", kind: "territory", fips: "72" },
  { code: "VI", name: "Virgin Islands", kind: "territory", fips: null },
];

const BY_CODE = new Map(US_STATES.map((s) => [s.code, s]));

/** The place for a USPS code (any case), or undefined for a code we do not serve. */
export function findState(code: string): UsState | undefined {
  return BY_CODE.get(code.trim().toUpperCase());
}

/** "Washington" for "WA"; an unknown code comes back as given, so a label never goes blank. */
export function stateName(code: string): string {
  return findState(code)?.name ?? code;
}

/** Only the 50 states elect senators; DC and the territories have none. */
export function hasSenators(code: string): boolean {
  return findState(code)?.kind === "state";
}

/**
 * The title of a place's House member: DC and the territories send a non-voting Delegate,
 * except Puerto Rico, whose member is the Resident Commissioner.
 */
export function houseTitle(code: string): "Representative" | "Delegate" | "Resident Commissioner" {
  const place = findState(code);
  if (place?.code === "PR") return "Resident Commissioner";
  if (place && place.kind !== "state") return "Delegate";
  return "Representative";
}
