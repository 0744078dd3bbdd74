// The campaign editor's one schema: react-hook-form checks it in the browser and the action
// checks the posted form with it again. Variants are edited as text areas, one variant per line,
// so the form needs no JavaScript; the schema turns the lines into lists.
import { z } from "zod";
import { OFFICE_KINDS, phraseSchema, POINT_KEY } from "~/letters/content";
import { emailField } from "~/web/email-field";

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const text = (label: string, max: number) =>
  z
    .string({ required_error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} must be at most ${max} characters`);

/** A text area, one entry per line (blank lines dropped). */
const lines = z
  .union([z.string(), z.array(z.string()), z.undefined(), z.null()])
  .transform((v) =>
    (Array.isArray(v) ? v : (v ?? "").split(/\r?\n/)).map((line) => line.trim()).filter((line) => line !== ""),
  );

const variants = (what: string) => lines.pipe(z.array(phraseSchema).min(1, `${what}: write at least one (one a line)`));

const perKind = (what: string) =>
  z.object({
    president: variants(`${what} for the White House`),
    senator: variants(`${what} for senators`),
    house: variants(`${what} for representatives`),
  });

const checkbox = z
  .union([z.boolean(), z.string(), z.undefined(), z.null()])
  .transform((v) => v === true || v === "on" || v === "true");

const optionalDate = (label: string) =>
  z
    .union([z.string(), z.undefined(), z.null()])
    .transform((v) => (v ?? "").trim())
    .refine((v) => v === "" || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))), {
      message: `${label}: enter a date like 2026-12-31`,
    })
    .transform((v) => (v === "" ? null : v));

const PointRow = z.object({
  key: z.union([z.string(), z.undefined()]).transform((v) => (v ?? "").trim()),
  label: z.union([z.string(), z.undefined()]).transform((v) => (v ?? "").trim()),
  summary: z.union([z.string(), z.undefined()]).transform((v) => (v ?? "").trim()),
  asks: z.object({ president: lines, senator: lines, house: lines }).partial().optional(),
  remove: checkbox,
});

/** A label made into a point key: "Ban the weapons" → "ban-the-weapons". */
export function keyFromLabel(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
}

export const CampaignFormSchema = z
  .object({
    title: text("Title", 160),
    slug: z
      .string({ required_error: "Address is required" })
      .trim()
      .toLowerCase()
      .min(3, "Address: at least 3 characters")
      .max(80, "Address: at most 80 characters")
      .regex(SLUG_PATTERN, "Address: lower-case letters, digits and single dashes only, like ban-landmines")
      // /admin/campaigns/new is the editor for a new campaign.
      .refine((v) => v !== "new", "Address: “new” is reserved; choose another"),
    summary: text("Summary", 300),
    body: text("The case", 5000),
    goal: z
      .union([z.string(), z.number()])
      .transform((v) => String(v).trim().replace(/,/g, ""))
      .pipe(z.coerce.number({ invalid_type_error: "Goal must be a number" }))
      .pipe(z.number().refine((n) => !Number.isNaN(n), "Goal must be a number"))
      .pipe(
        z
          .number()
          .int("Goal must be a whole number")
          .min(1, "Goal must be at least 1")
          .max(100_000_000, "Goal is too large"),
      ),
    startsAt: optionalDate("Opens"),
    endsAt: optionalDate("Closes"),
    targetsWhiteHouse: checkbox,
    targetsSenators: checkbox,
    targetsRepresentative: checkbox,
    /** Keys of extra offices every supporter writes to. */
    extraOffices: z
      .union([z.array(z.string()), z.string(), z.literal(false), z.undefined(), z.null()])
      .transform((v) => (Array.isArray(v) ? v : typeof v === "string" && v !== "" ? [v] : [])),
    mode: z.enum(["test", "live"], { errorMap: () => ({ message: "Choose test mode or live mode" }) }),
    testInbox: z
      .union([z.string(), z.undefined(), z.null()])
      .transform((v) => (v ?? "").trim())
      .transform((v) => (v === "" ? null : v))
      .pipe(emailField.nullable()),
    subjects: perKind("Subjects"),
    openings: perKind("Openings"),
    closingParagraphs: perKind("Closing paragraphs"),
    points: z
      .array(PointRow)
      .default([])
      // Blank rows (the empty row the form offers for a new point) and removed points drop out.
      .transform((rows) =>
        rows
          .filter((row) => !row.remove)
          .filter((row) => row.key || row.label || row.summary || Object.values(row.asks ?? {}).some((a) => a.length))
          .map((row) => ({ ...row, key: row.key || keyFromLabel(row.label) })),
      ),
  })
  .superRefine((values, ctx) => {
    if (values.startsAt && values.endsAt && values.endsAt < values.startsAt) {
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "Closes: must not be before the opening date" });
    }
    if (
      !values.targetsWhiteHouse &&
      !values.targetsSenators &&
      !values.targetsRepresentative &&
      !values.extraOffices.length
    ) {
      ctx.addIssue({ code: "custom", path: ["targetsWhiteHouse"], message: "Targets: choose at least one office" });
    }
    if (values.points.length === 0) {
      ctx.addIssue({ code: "custom", path: ["points"], message: "Points: a campaign needs at least one point" });
    }
    const seen = new Set<string>();
    values.points.forEach((point, i) => {
      const at = (field: string) => ["points", i, field];
      const n = `Point ${i + 1}`;
      if (!point.label) ctx.addIssue({ code: "custom", path: at("label"), message: `${n}: a label is required` });
      if (!point.summary) ctx.addIssue({ code: "custom", path: at("summary"), message: `${n}: a summary is required` });
      if (point.key && !POINT_KEY.test(point.key))
        ctx.addIssue({
          code: "custom",
          path: at("key"),
          message: `${n}: the key is lower-case letters, digits, dashes`,
        });
      if (seen.has(point.key))
        ctx.addIssue({ code: "custom", path: at("key"), message: `${n}: another point has the key "${point.key}"` });
      seen.add(point.key);
      for (const kind of OFFICE_KINDS) {
        const asks = point.asks?.[kind] ?? [];
        if (asks.length === 0) {
          ctx.addIssue({
            code: "custom",
            path: ["points", i, "asks", kind],
            message: `${n}: write at least one ask for ${KIND_NAMES[kind]}`,
          });
        }
        for (const ask of asks) {
          const checked = phraseSchema.safeParse(ask);
          if (!checked.success) {
            ctx.addIssue({
              code: "custom",
              path: ["points", i, "asks", kind],
              message: `${n}, ask for ${KIND_NAMES[kind]}: ${checked.error.issues[0].message}`,
            });
          }
        }
      }
    });
  });

export const KIND_NAMES = { president: "the White House", senator: "senators", house: "representatives" } as const;

export type CampaignFormInput = z.input<typeof CampaignFormSchema>;
export type CampaignFormValues = z.output<typeof CampaignFormSchema>;

/** Field path ("points.0.label") → message; "form" for errors that belong to no field. */
export type CampaignFormErrors = Record<string, string>;

/**
 * The form field an issue belongs to: a problem with one variant ("subjects.senator.2") is
 * shown at its text area ("subjects.senator"); "points.3" stays (a whole point).
 */
export function fieldPath(path: readonly (string | number)[]): string {
  const parts = path.map(String);
  while (parts.length > 0 && /^\d+$/.test(parts[parts.length - 1]) && !(parts.length === 2 && parts[0] === "points")) {
    parts.pop();
  }
  return parts.length ? parts.join(".") : "form";
}

export function campaignFormErrors(error: z.ZodError): CampaignFormErrors {
  const errors: CampaignFormErrors = {};
  for (const issue of error.issues) {
    const path = fieldPath(issue.path);
    errors[path] ??= issue.message;
  }
  return errors;
}

/**
 * A posted form as nested values: "points.0.asks.house" becomes points[0].asks.house. Repeated
 * names (a multiple select) become lists. Numeric path segments make arrays.
 */
export function formDataToNested(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of new Set(form.keys())) {
    const all = form.getAll(name).map(String);
    const value = name === "extraOffices" ? all : all[all.length - 1];
    const parts = name.split(".");
    let node: Record<string, unknown> | unknown[] = out;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const key: string | number = /^\d+$/.test(part) ? Number(part) : part;
      // Only plain names and small indices: a forged name cannot build a huge sparse array.
      if (typeof key === "number" && key > 100) return;
      const container = node as Record<string | number, unknown>;
      if (last) {
        container[key] = value;
      } else {
        container[key] ??= /^\d+$/.test(parts[i + 1]) ? [] : {};
        node = container[key] as Record<string, unknown>;
      }
    });
  }
  if (Array.isArray(out.points)) out.points = out.points.filter((p) => p !== undefined);
  return out;
}
