// The id of a new row, the same on both roads: Prisma's default (`@default(uuid(7))` in
// prisma/schema.prisma) and the direct road's inserts, which must make their own ids (see README,
// "One id format"). UUID version 7: time-ordered, so new rows land at the end of the primary key's
// index (a signature's four letters, a batch's attempts) rather than on random pages; 36
// characters any tool reads; made without a round trip. Rows written before keep their cuid ids.
import { v7 } from "uuid";

export function newId(): string {
  return v7();
}
