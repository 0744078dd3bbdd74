// How the product names an office to people: the office holder ("Senator Maria Cantwell",
// "The President") on supporters' pages and dashboards, and the office itself in the reasons
// a letter is held ("The office of Senator Maria Cantwell", "The White House").

interface Named {
  chamber: string;
  title: string;
  fullName: string;
}

export function officeHolder(office: Named): string {
  if (office.chamber === "white_house") return "The President";
  return office.fullName.startsWith(office.title) ? office.fullName : `${office.title} ${office.fullName}`;
}

export function officeName(office: Named): string {
  return office.chamber === "white_house" ? "The White House" : `The office of ${officeHolder(office)}`;
}
