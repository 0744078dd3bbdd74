// Organizers' office list: browsing and filtering, e-mail addresses set one by one or imported
// from a CSV file, offices switched off and on, and extra offices (an agency, a committee) that
// campaigns can name. Letters an office was holding go out once it can receive them.
import { parse } from "csv-parse/sync";
import { z } from "zod";
import type { Db } from "~/db/client.server";
import { releaseHeldLetters } from "~/delivery/release.server";
import type { Prisma } from "~/generated/prisma/client";
import { emailField } from "~/web/email-field";
import { findState } from "~/offices/states";

export { CHAMBERS, CHAMBER_NAMES } from "~/offices/chambers";

import { CHAMBERS } from "~/offices/chambers";

export interface OfficeFilter {
  chamber?: string;
  state?: string;
  q?: string;
  /** "active" | "inactive" | "no-email" */
  show?: string;
  page?: number;
}

export const OFFICES_PAGE_SIZE = 100;

export function parseOfficeFilter(params: URLSearchParams): OfficeFilter {
  const chamber = params.get("chamber") ?? "";
  const state = (params.get("state") ?? "").trim().toUpperCase();
  const page = Number(params.get("page") ?? 1);
  return {
    chamber: (CHAMBERS as readonly string[]).includes(chamber) ? chamber : undefined,
    state: findState(state) ? state : undefined,
    q: params.get("q")?.trim() || undefined,
    show: ["active", "inactive", "no-email"].includes(params.get("show") ?? "") ? params.get("show")! : undefined,
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

export async function listOffices(db: Db, filter: OfficeFilter) {
  const where: Prisma.OfficeWhereInput = {
    ...(filter.chamber ? { chamber: filter.chamber } : {}),
    ...(filter.state ? { state: filter.state } : {}),
    ...(filter.q
      ? {
          OR: [
            { fullName: { contains: filter.q } },
            { key: filter.q.toUpperCase() },
            { email: { contains: filter.q } },
          ],
        }
      : {}),
    ...(filter.show === "active" ? { active: true } : {}),
    ...(filter.show === "inactive" ? { active: false } : {}),
    ...(filter.show === "no-email" ? { email: null } : {}),
  };
  const page = filter.page ?? 1;
  const [offices, total] = await Promise.all([
    db.office.findMany({
      where,
      orderBy: [{ chamber: "asc" }, { state: "asc" }, { district: "asc" }, { lastName: "asc" }],
      skip: (page - 1) * OFFICES_PAGE_SIZE,
      take: OFFICES_PAGE_SIZE,
    }),
    db.office.count({ where }),
  ]);
  // Held letters per office, from the trigger-kept counters.
  const held = await db.campaignOfficeDelivery.groupBy({
    by: ["officeId"],
    where: { status: "held", officeId: { in: offices.map((o) => o.id) } },
    _sum: { count: true },
  });
  const heldBy = new Map(held.map((h) => [h.officeId, h._sum.count ?? 0]));
  return {
    offices: offices.map((o) => ({ ...o, held: heldBy.get(o.id) ?? 0 })),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / OFFICES_PAGE_SIZE)),
  };
}

/** The row form on the offices page: an office's e-mail address ("" removes it). */
export const OfficeEmailSchema = z.object({
  key: z.string().trim().min(1, "Which office?"),
  email: z
    .string()
    .trim()
    .transform((v) => (v === "" ? null : v))
    .pipe(emailField.nullable()),
});

/** A new extra office a campaign can write to (an agency, a committee chair's office). */
export const ExtraOfficeSchema = z.object({
  title: z.string().trim().min(1, "Title is required, like Secretary").max(80),
  fullName: z.string().trim().min(1, "Name is required").max(160),
  lastName: z.string().trim().min(1, "The name used in “Dear …,” is required").max(80),
  email: z
    .string()
    .trim()
    .transform((v) => (v === "" ? null : v))
    .pipe(emailField.nullable()),
});

export async function createExtraOffice(db: Db, input: z.output<typeof ExtraOfficeSchema>) {
  const base = `X-${input.fullName
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 30)}`;
  let key = base;
  for (let n = 2; await db.office.findUnique({ where: { key }, select: { id: true } }); n++) key = `${base}-${n}`;
  return db.office.create({
    data: {
      key,
      chamber: "other",
      title: input.title,
      lastName: input.lastName,
      fullName: input.fullName,
      email: input.email,
      active: true,
    },
  });
}

export type EmailImportResult =
  { ok: true; rows: number; changed: number; unchanged: number; released: number } | { ok: false; errors: string[] };

const KEY_COLUMNS = ["key", "bioguide", "bioguide_id", "bioguideid", "id"];
const MAX_ERRORS = 50;

/**
 * Imports e-mail addresses from CSV: a header row naming the office column (`key` or
 * `bioguide_id`; WH for the White House) and `email`; other columns are ignored. Every row is
 * checked first; one bad row and nothing is written, with every problem listed by line.
 */
export async function importOfficeEmails(db: Db, csv: string): Promise<EmailImportResult> {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(csv, {
      columns: (header: string[]) =>
        header.map((h) =>
          h
            .trim()
            .toLowerCase()
            .replace(/[\s-]+/g, "_"),
        ),
      bom: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      relax_column_count: false,
    });
  } catch (error) {
    return { ok: false, errors: [`The file is not valid CSV: ${(error as Error).message}`] };
  }
  if (records.length === 0) return { ok: false, errors: ["The file has no rows below its header."] };
  const columns = Object.keys(records[0].record);
  const keyColumn = KEY_COLUMNS.find((c) => columns.includes(c));
  const errors: string[] = [];
  if (!keyColumn) errors.push(`The header needs an office column (key or bioguide_id); it has: ${columns.join(", ")}.`);
  if (!columns.includes("email")) errors.push(`The header needs an email column; it has: ${columns.join(", ")}.`);
  if (errors.length) return { ok: false, errors };

  const offices = new Map(
    (await db.office.findMany({ select: { id: true, key: true, email: true, active: true } })).map((o) => [o.key, o]),
  );
  const seen = new Map<string, number>();
  const changes: { id: string; email: string }[] = [];
  let unchanged = 0;
  for (const { record, info } of records) {
    const line = info.lines;
    const key = (record[keyColumn!] ?? "").toUpperCase();
    const email = emailField.safeParse(record.email ?? "");
    if (!key) errors.push(`Line ${line}: the office (${keyColumn}) is empty.`);
    else if (!offices.has(key)) errors.push(`Line ${line}: no office has the key ${key}.`);
    else if (seen.has(key)) errors.push(`Line ${line}: ${key} is also on line ${seen.get(key)}.`);
    if (!email.success) errors.push(`Line ${line}: ${email.error.issues[0].message} (got “${record.email ?? ""}”).`);
    if (key) seen.set(key, seen.get(key) ?? line);
    if (errors.length >= MAX_ERRORS) {
      errors.push("… and possibly more; fix these first.");
      break;
    }
    const office = offices.get(key);
    if (office && email.success) {
      if (office.email === email.data) unchanged++;
      else changes.push({ id: office.id, email: email.data });
    }
  }
  if (errors.length) return { ok: false, errors };

  const released = await db.$transaction(
    async (tx) => {
      let count = 0;
      for (const change of changes) {
        const office = await tx.office.update({ where: { id: change.id }, data: { email: change.email } });
        if (office.active) count += await releaseHeldLetters(tx, { officeId: office.id });
      }
      return count;
    },
    { timeout: 60_000 },
  );
  return { ok: true, rows: records.length, changed: changes.length, unchanged, released };
}
