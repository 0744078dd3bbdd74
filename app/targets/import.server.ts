// Loads the offices (members of Congress and the White House) and the ZIP → district table
// from the upstream files bundled in prisma/data/, or from newer copies an organizer fetched.
// Everything is parsed and checked before the first write, and written in one transaction,
// so a bad file leaves the database exactly as it was.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import type { Db } from "~/db/client.server";
import { insertZipDistricts } from "./import.sql.server";
import { rerouteDepartedLetters } from "./reroute.server";
import { findState, houseTitle } from "~/offices/states";

export const BUNDLED_DATA_DIR = "prisma/data";

export interface ImportPaths {
  legislatorsPath?: string;
  zccdPath?: string;
  whiteHousePath?: string;
}

export interface ImportReport {
  officesAdded: number;
  /** Existing offices whose details changed (name, party, address…). */
  officesUpdated: number;
  officesUnchanged: number;
  /** Members no longer in the legislators file. */
  officesDeactivated: number;
  /** Keys of offices in the file that stay inactive because they were deactivated before. */
  officesKeptInactive: string[];
  zipRows: number;
  zipCodes: number;
  /** Waiting letters of members who left, now addressed to their successor. */
  lettersRerouted: number;
  /** Waiting letters of members who left, held because no successor is known yet. */
  lettersHeld: number;
}

/** A file that cannot be imported; the message names the file and the line or entry at fault. */
export class TargetsImportError extends Error {
  override name = "TargetsImportError";
}

// Members of Congress are keyed by bioguide id. Offices an organizer added by hand carry other
// keys and are never deactivated by an import.
const BIOGUIDE_ID = /^[A-Z][0-9]{6}$/;

const optionalText = z
  .string()
  .nullish()
  .transform((v) => (v == null || v.trim() === "" ? null : v.trim()));

// Only the fields the product uses are checked; upstream adds fields over time and they are ignored.
const TermSchema = z.object({
  type: z.enum(["sen", "rep"]),
  state: z.string().refine((s) => findState(s) !== undefined, { message: "unknown state" }),
  district: z.number().int().min(0).nullish(),
  state_rank: z.enum(["senior", "junior"]).nullish(),
  /** Senators: 1, 2 or 3 (the Senate's CWC office codes end with it). */
  class: z.number().int().min(1).max(3).nullish(),
  party: optionalText,
  url: optionalText,
  address: optionalText,
  phone: optionalText,
  contact_form: optionalText,
});

const LegislatorSchema = z.object({
  id: z.object({ bioguide: z.string().regex(BIOGUIDE_ID, "not a bioguide id") }),
  name: z.object({
    first: z.string().min(1),
    last: z.string().min(1),
    nickname: optionalText,
    official_full: optionalText,
  }),
  terms: z.array(TermSchema).min(1),
});

const WhiteHouseSchema = z.object({
  key: z.literal("WH"),
  chamber: z.literal("white_house"),
  title: z.string().min(1),
  firstName: optionalText,
  lastName: z.string().min(1),
  fullName: z.string().min(1),
  postalAddress: optionalText,
  phone: optionalText,
  url: optionalText,
  contactForm: optionalText,
});

/** The columns of an Office the upstream data owns; `email` and `active` belong to organizers. */
interface OfficeFacts {
  key: string;
  chamber: string;
  title: string;
  firstName: string | null;
  lastName: string;
  fullName: string;
  state: string | null;
  district: number | null;
  stateRank: string | null;
  senateClass: number | null;
  party: string | null;
  postalAddress: string | null;
  phone: string | null;
  url: string | null;
  contactForm: string | null;
}

const FACT_COLUMNS = [
  "chamber",
  "title",
  "firstName",
  "lastName",
  "fullName",
  "state",
  "district",
  "stateRank",
  "senateClass",
  "party",
  "postalAddress",
  "phone",
  "url",
  "contactForm",
] as const satisfies readonly (keyof OfficeFacts)[];

interface ZipRow {
  zip: string;
  state: string;
  district: number;
}

function issueText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`).join("; ");
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new TargetsImportError(`Cannot read the ${what} file ${path}: ${(error as Error).message}`);
  }
}

function readJson(path: string, what: string): unknown {
  const text = readText(path, what);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TargetsImportError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Parses the upstream legislators-current.json into office facts, one per member. */
export function parseLegislators(data: unknown, source = "legislators file"): OfficeFacts[] {
  if (!Array.isArray(data) || data.length === 0) {
    throw new TargetsImportError(`${source}: expected a non-empty JSON array of legislators`);
  }
  const seen = new Set<string>();
  return data.map((entry, index) => {
    const parsed = LegislatorSchema.safeParse(entry);
    const label = `${source}: entry ${index + 1}`;
    if (!parsed.success) {
      const id = (entry as { id?: { bioguide?: unknown } } | null)?.id?.bioguide;
      throw new TargetsImportError(`${label}${typeof id === "string" ? ` (${id})` : ""}: ${issueText(parsed.error)}`);
    }
    const { id, name, terms } = parsed.data;
    if (seen.has(id.bioguide)) {
      throw new TargetsImportError(`${label}: bioguide id ${id.bioguide} appears twice`);
    }
    seen.add(id.bioguide);
    // The last term is the one being served; earlier ones are history.
    const term = terms[terms.length - 1];
    const state = term.state.toUpperCase();
    if (term.type === "rep" && term.district == null) {
      throw new TargetsImportError(`${label} (${id.bioguide}): a representative's last term has no district`);
    }
    const firstName = name.nickname ?? name.first;
    return {
      key: id.bioguide,
      chamber: term.type === "sen" ? "senate" : "house",
      title: term.type === "sen" ? "Senator" : houseTitle(state),
      firstName,
      lastName: name.last,
      fullName: name.official_full ?? `${firstName} ${name.last}`,
      state,
      district: term.type === "rep" ? (term.district ?? 0) : null,
      stateRank: term.type === "sen" ? (term.state_rank ?? null) : null,
      senateClass: term.type === "sen" ? (term.class ?? null) : null,
      party: term.party,
      postalAddress: term.address,
      phone: term.phone,
      url: term.url,
      contactForm: term.contact_form,
    };
  });
}

export function parseWhiteHouse(data: unknown, source = "White House file"): OfficeFacts {
  const parsed = WhiteHouseSchema.safeParse(data);
  if (!parsed.success) throw new TargetsImportError(`${source}: ${issueText(parsed.error)}`);
  return { ...parsed.data, state: null, district: null, stateRank: null, senateClass: null, party: null };
}

const ZCCD_HEADER = ["state_fips", "state_abbr", "zcta", "cd"];

/**
 * Parses zccd.csv (state_fips,state_abbr,zcta,cd). The first bad line stops the import with its
 * line number; rows repeated verbatim are harmless and kept once.
 */
export function parseZccd(text: string, source = "zccd.csv"): ZipRow[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const header = lines[0].split(",").map((h) => h.trim().toLowerCase());
  if (header.join(",") !== ZCCD_HEADER.join(",")) {
    throw new TargetsImportError(
      `${source} line 1: expected the header "${ZCCD_HEADER.join(",")}", found "${lines[0]}"`,
    );
  }
  const rows: ZipRow[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === "") continue;
    const fail = (why: string): never => {
      throw new TargetsImportError(`${source} line ${i + 1}: ${why} ("${line.slice(0, 80)}")`);
    };
    const cells = line.split(",").map((c) => c.trim());
    if (cells.length !== 4) fail(`expected 4 columns, found ${cells.length}`);
    const [fips, abbr, zcta, cd] = cells;
    const place = findState(abbr);
    if (!place) fail(`unknown state "${abbr}"`);
    if (!/^[0-9]{5}$/.test(zcta)) fail(`ZIP "${zcta}" is not 5 digits`);
    if (!/^[0-9]{1,2}$/.test(cd)) fail(`district "${cd}" is not a number from 0 to 99`);
    if (place!.fips !== null && fips !== place!.fips) {
      fail(`state FIPS code "${fips}" does not belong to ${place!.code} (${place!.fips})`);
    }
    const row = { zip: zcta, state: place!.code, district: Number(cd) };
    const id = `${row.zip}|${row.state}|${row.district}`;
    if (seen.has(id)) continue;
    seen.add(id);
    rows.push(row);
  }
  if (rows.length === 0) throw new TargetsImportError(`${source}: no ZIP rows`);
  return rows;
}

function bundled(file: string): string {
  return resolve(process.cwd(), BUNDLED_DATA_DIR, file);
}

/**
 * Imports legislators, the White House and the ZIP table. Offices are matched by key and
 * updated in place so letters keep pointing at them; an organizer's e-mail address and
 * deactivation survive; members missing from the file are deactivated, never deleted.
 */
export async function importTargets(db: Db, paths: ImportPaths = {}): Promise<ImportReport> {
  const legislatorsPath = paths.legislatorsPath ?? bundled("legislators-current.json");
  const zccdPath = paths.zccdPath ?? bundled("zccd.csv");
  const whiteHousePath = paths.whiteHousePath ?? bundled("white-house.json");

  const members = parseLegislators(readJson(legislatorsPath, "legislators"), legislatorsPath);
  const whiteHouse = parseWhiteHouse(readJson(whiteHousePath, "White House"), whiteHousePath);
  const zipRows = parseZccd(readText(zccdPath, "ZIP to district"), zccdPath);
  const incoming = [whiteHouse, ...members];
  const incomingKeys = new Set(incoming.map((o) => o.key));

  const report: ImportReport = {
    officesAdded: 0,
    officesUpdated: 0,
    officesUnchanged: 0,
    officesDeactivated: 0,
    officesKeptInactive: [],
    zipRows: zipRows.length,
    zipCodes: new Set(zipRows.map((r) => r.zip)).size,
    lettersRerouted: 0,
    lettersHeld: 0,
  };
  // Members who left (now, or in an earlier import while letters still wait for them), and
  // members who arrived: their letters are rerouted after the import (see reroute.server.ts).
  let departedKeys: string[] = [];
  let arrivedKeys: string[] = [];

  await db.$transaction(
    async (tx) => {
      const existing = new Map((await tx.office.findMany()).map((o) => [o.key, o]));
      const toCreate: OfficeFacts[] = [];
      for (const facts of incoming) {
        const current = existing.get(facts.key);
        if (!current) {
          toCreate.push(facts);
          continue;
        }
        // We cannot tell an organizer's deactivation from an earlier import's, so an inactive
        // office stays inactive; the report lists them for the organizer to review.
        if (!current.active) report.officesKeptInactive.push(facts.key);
        const changed = FACT_COLUMNS.filter((column) => current[column] !== facts[column]);
        if (changed.length === 0) {
          report.officesUnchanged++;
          continue;
        }
        const data = Object.fromEntries(changed.map((column) => [column, facts[column]]));
        await tx.office.update({ where: { id: current.id }, data });
        report.officesUpdated++;
      }
      if (toCreate.length > 0) {
        await tx.office.createMany({ data: toCreate.map((facts) => ({ ...facts, active: true })) });
        report.officesAdded = toCreate.length;
      }

      arrivedKeys = toCreate.map((facts) => facts.key);
      const gone = [...existing.values()].filter((o) => BIOGUIDE_ID.test(o.key) && !incomingKeys.has(o.key));
      const stillWaiting = new Set(
        (
          await tx.letter.findMany({
            where: {
              officeId: { in: gone.filter((o) => !o.active).map((o) => o.id) },
              deliveries: { some: { status: { in: ["queued", "held"] } } },
            },
            select: { officeId: true },
            distinct: ["officeId"],
          })
        ).map((l) => l.officeId),
      );
      departedKeys = gone.filter((o) => o.active || stillWaiting.has(o.id)).map((o) => o.key);
      const departed = gone.filter((o) => o.active).map((o) => o.id);
      if (departed.length > 0) {
        const { count } = await tx.office.updateMany({
          where: { id: { in: departed } },
          data: { active: false },
        });
        report.officesDeactivated = count;
      }

      await tx.zipDistrict.deleteMany();
      // Multi-row INSERTs: eight times as fast as createMany (import.sql.server.ts).
      await insertZipDistricts(tx, zipRows);
    },
    // 42k ZIP rows take a second or two; the default 5 s limit is too tight on a slow disk.
    { timeout: 120_000, maxWait: 30_000 },
  );

  // Outside the import's transaction: recomposing and rendering letters takes a while, and each
  // letter moves in its own small transaction. A crash here loses nothing; the next import
  // finds the letters still waiting for the departed member and moves them then.
  const moved = await rerouteDepartedLetters(db, departedKeys, arrivedKeys);
  report.lettersRerouted = moved.rerouted;
  report.lettersHeld = moved.held;
  return report;
}

/**
 * Loads the bundled data into a fresh database (no members of Congress or no ZIP table yet),
 * so `npm start` on a fresh clone can resolve targets. Returns the report, or null if the
 * data was already there — an organizer's later edits and re-imports are left alone.
 */
export async function ensureTargetsLoaded(db: Db): Promise<ImportReport | null> {
  const [members, zips] = await Promise.all([
    db.office.count({ where: { chamber: { in: ["senate", "house"] } } }),
    db.zipDistrict.count(),
  ]);
  if (members > 0 && zips > 0) {
    await backfillSenateClasses(db);
    return null;
  }
  return importTargets(db);
}

/**
 * Senators loaded before offices had a class (the channels migration) get theirs from the bundled
 * file, matched by bioguide id; nothing else is touched, so a newer file an organizer imported
 * since is not undone. Answers how many offices it changed.
 */
export async function backfillSenateClasses(db: Db): Promise<number> {
  const missing = await db.office.findMany({
    where: { chamber: "senate", senateClass: null },
    select: { id: true, key: true },
  });
  if (missing.length === 0) return 0;
  const bundledPath = bundled("legislators-current.json");
  const classes = new Map(
    parseLegislators(readJson(bundledPath, "legislators"), bundledPath).map((o) => [o.key, o.senateClass]),
  );
  let changed = 0;
  for (const office of missing) {
    const senateClass = classes.get(office.key);
    if (senateClass == null) continue;
    await db.office.update({ where: { id: office.id }, data: { senateClass } });
    changed++;
  }
  return changed;
}
