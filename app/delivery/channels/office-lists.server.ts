// The CWC services' office lists on the database (table ChannelOfficeList), shared by every worker
// and process: the first worker to fetch a list saves it, the others load it instead of asking the
// service again, and a restart starts from the last good list. The channels themselves know
// nothing of the database; they take this store (OfficeListStore in ./cwc/service.server.ts).
import { isUniqueViolation, type Db } from "~/db/client.server";
import type { OfficeListSnapshot, OfficeListStore } from "./cwc/service.server";

/** The stored codes, or null when the row holds no JSON array of strings (then there is no list). */
function codesOf(text: string): string[] | null {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.every((c) => typeof c === "string") ? value : null;
  } catch {
    return null;
  }
}

export function databaseOfficeListStore(db: Db): OfficeListStore {
  return {
    async load(list) {
      const row = await db.channelOfficeList.findUnique({ where: { name: list } });
      const codes = row ? codesOf(row.codes) : null;
      return row && codes ? { codes, fetchedAt: row.fetchedAt } : null;
    },

    /**
     * Keeps the newer of the stored list and this one: two workers that fetched at nearly the same
     * time may save in either order, and an older fetch must not replace a newer one.
     */
    async save(list, snapshot: OfficeListSnapshot) {
      const data = { codes: JSON.stringify([...snapshot.codes]), fetchedAt: snapshot.fetchedAt };
      const { count } = await db.channelOfficeList.updateMany({
        where: { name: list, fetchedAt: { lte: snapshot.fetchedAt } },
        data,
      });
      if (count > 0) return;
      try {
        await db.channelOfficeList.create({ data: { name: list, ...data } });
      } catch (error) {
        // The row exists: with a newer list (nothing to do), or another worker created it just now.
        if (!isUniqueViolation(error)) throw error;
        await db.channelOfficeList.updateMany({ where: { name: list, fetchedAt: { lte: snapshot.fetchedAt } }, data });
      }
    },
  };
}
