// An office read on the direct road (~/db/direct-sql.server): a signature reads the offices its
// letters go to, and the campaign's extra offices, without Prisma's cost per query.
import { dbBool, dbDate, type DbRow } from "~/db/direct-sql.server";
import type { Office } from "~/generated/prisma/client";

export function officeFromRow(r: DbRow<Office>): Office {
  return {
    id: r.id,
    key: r.key,
    chamber: r.chamber,
    title: r.title,
    firstName: r.firstName,
    lastName: r.lastName,
    fullName: r.fullName,
    state: r.state,
    district: r.district,
    stateRank: r.stateRank,
    senateClass: r.senateClass,
    party: r.party,
    email: r.email,
    postalAddress: r.postalAddress,
    phone: r.phone,
    url: r.url,
    contactForm: r.contactForm,
    active: dbBool(r.active),
    createdAt: dbDate(r.createdAt),
    updatedAt: dbDate(r.updatedAt),
  };
}
