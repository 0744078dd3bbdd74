// The running app's database, read by the specs that must prove what was (not) stored. Works on
// both databases the suite runs on: the SQLite file, or the PostgreSQL database made for the run.
// Write SQL with quoted identifiers ("firstName") and $1, $2 … parameters; they suit both.
import Database from "better-sqlite3";
import pg from "pg";

export interface AppDb {
  rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** The single number a `SELECT count(*) AS n …` gives. */
  count(sql: string, params?: unknown[]): Promise<number>;
  close(): Promise<void>;
}

export async function openAppDb(): Promise<AppDb> {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error("E2E_DATABASE_URL is not set (global setup did not run)");
  let rows: AppDb["rows"];
  let close: () => Promise<void>;
  if (url.startsWith("file:")) {
    const db = new Database(url.slice("file:".length), { readonly: true, fileMustExist: true });
    rows = async <T>(sql: string, params: unknown[] = []) =>
      db.prepare(sql.replace(/\$\d+/g, "?")).all(...params) as T[];
    close = async () => void db.close();
  } else {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    rows = async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[];
    close = () => client.end();
  }
  return {
    rows,
    async count(sql, params) {
      const [row] = await rows<{ n: number | string }>(sql, params);
      return Number(row.n);
    },
    close,
  };
}
