// The kinds of office, for filters and labels (shared by server and browser code).
export const CHAMBERS = ["white_house", "senate", "house", "other"] as const;

export const CHAMBER_NAMES: Record<string, string> = {
  white_house: "White House",
  senate: "Senate",
  house: "House",
  other: "Other",
};
