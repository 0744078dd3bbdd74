// Organizer roles, shared by the server (which enforces them) and the pages (which only hide
// controls a role cannot use: hiding is a courtesy, the server's check is the rule).

export const ROLES = ["owner", "organizer", "viewer"] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, organizer: 1, owner: 2 };

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Whether someone with `role` may do what needs `needed`. An unknown role may do nothing. */
export function roleAllows(role: string, needed: Role): boolean {
  return isRole(role) && RANK[role] >= RANK[needed];
}

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: "everything, including the team and the audit log",
  organizer: "campaigns, moderation and exports",
  viewer: "dashboards only",
};
