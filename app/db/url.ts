// The embedded default database: a SQLite file under ./data, created on first start.
export const DEFAULT_DATABASE_URL = "file:./data/sincerely.db";

/** postgresql:// or postgres:// (both spellings are PostgreSQL's own). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(?:ql)?:\/\//.test(url);
}
