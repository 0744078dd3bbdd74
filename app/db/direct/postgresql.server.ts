// PostgreSQL's direct road (see ~/db/direct-sql.server for what the direct road is for): the
// client's own pool, named prepared statements, and timestamps read and written as UTC.
import { createHash } from "node:crypto";
import pg from "pg";
import { Prisma } from "~/generated/prisma/client";
import type { DirectSql } from "./types";

// PostgreSQL: Prisma maps DateTime to `timestamp(3)` (no time zone) holding UTC. Its adapter
// binds a Date as UTC text and reads the column back as UTC; node-postgres on its own would use
// the process's local time zone both ways, so both directions are set here the same way.
const TIMESTAMP_OID = 1114;

function utcText(date: Date): string {
  return date.toISOString().replace("T", " ").replace("Z", "");
}

function pgBindable(value: unknown): unknown {
  return value instanceof Date ? utcText(value) : value;
}

const types = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === TIMESTAMP_OID) return (text: string) => new Date(`${text.replace(" ", "T")}Z`);
    return pg.types.getTypeParser(oid, format as "text");
  }) as typeof pg.types.getTypeParser,
};

// Named statements are prepared once per connection (node-postgres keeps them by name), as
// Prisma's adapter does not: the name is a digest of the text.
const names = new Map<string, string>();
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) names.set(text, (name = `d_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`));
  return name;
}

function query(sql: Prisma.Sql) {
  return { name: statementName(sql.text), text: sql.text, values: sql.values.map(pgBindable), types };
}

const roads = new WeakMap<pg.Pool, DirectSql>();

export function pgDirect(pool: pg.Pool): DirectSql {
  let road = roads.get(pool);
  if (road) return road;
  road = {
    run: async (sql) => (await pool.query(query(sql))).rowCount ?? 0,
    all: async <T>(sql: Prisma.Sql) => (await pool.query(query(sql))).rows as T[],
    async writeAll(writes) {
      const ctes = writes.slice(0, -1).map((sql, i) => Prisma.sql`${Prisma.raw(`w${i}`)} AS (${sql})`);
      const last = writes[writes.length - 1];
      if (!last) return 0;
      return (
        (await pool.query(query(ctes.length ? Prisma.sql`WITH ${Prisma.join(ctes)} ${last}` : last))).rowCount ?? 0
      );
    },
    async writeEach(writes) {
      if (writes.length === 0) return [];
      if (writes.length === 1) return [(await pool.query(query(writes[0]!))).rowCount ?? 0];
      // One statement again: each write a data-modifying CTE that returns a row per row it
      // changed, and one row of their counts.
      const ctes = writes.map((sql, i) => Prisma.sql`${Prisma.raw(`w${i}`)} AS (${sql} RETURNING 1)`);
      const counts = writes.map((_, i) => Prisma.raw(`(SELECT count(*) FROM w${i}) AS c${i}`));
      const [row] = (await pool.query(query(Prisma.sql`WITH ${Prisma.join(ctes)} SELECT ${Prisma.join(counts)}`)))
        .rows as Array<Record<string, string>>;
      return writes.map((_, i) => Number(row![`c${i}`]));
    },
  };
  roads.set(pool, road);
  return road;
}
