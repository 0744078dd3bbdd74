// The sign form's one schema: react-hook-form validates with it in the browser, and the
// action validates the posted form with it again (the browser is never trusted).
import { z } from "zod";
import { US_STATES } from "~/offices/states";
import { emailField } from "~/web/email-field";

const STATE_CODES = new Set(US_STATES.map((s) => s.code));

/** C0 and C1 control characters (CR and LF among them) and Unicode's line and paragraph separators. */
// eslint-disable-next-line no-control-regex
const LINE_BREAK_OR_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** Control characters other than tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Trimmed text with a length limit, for fields a person types. */
function text(label: string, max: number) {
  return (
    z
      .string({ required_error: `${label} is required` })
      // Names and addresses go into letters and mail headers: one line, no control characters
      // (checked before spaces are tidied, so a line break is refused rather than folded away).
      .refine((v) => !LINE_BREAK_OR_CONTROL.test(v), `${label} must not contain line breaks or control characters`)
      .transform((v) => v.trim().replace(/ {2,}/g, " "))
      .pipe(z.string().min(1, `${label} is required`).max(max, `${label} must be at most ${max} characters`))
  );
}

/** A checkbox arrives as "on" (plain form post), true/false (react-hook-form) or not at all. */
const checkbox = z
  .union([z.boolean(), z.string(), z.undefined(), z.null()])
  .transform((v) => v === true || v === "on" || v === "true");

/** A checkbox group arrives as one string, an array, or false (react-hook-form, none ticked). */
const checkboxGroup = z
  .union([z.array(z.string()), z.string(), z.literal(false), z.undefined(), z.null()])
  .transform((v) => (Array.isArray(v) ? v : typeof v === "string" && v !== "" ? [v] : []))
  // No campaign has more points than this, nor a point key this long.
  .pipe(z.array(z.string().max(100, "Unknown point")).max(20, "Choose at most 20 points"));

export const MESSAGE_MAX = 2000;

export const SignSchema = z.object({
  firstName: text("First name", 80),
  lastName: text("Last name", 80),
  email: emailField,
  street: text("Street address", 200),
  city: text("City", 100),
  state: z
    .string({ required_error: "State is required" })
    .trim()
    .toUpperCase()
    .refine((v) => v !== "", "State is required")
    .refine((v) => v === "" || STATE_CODES.has(v), "Choose a state from the list"),
  zip: z
    .string({ required_error: "ZIP code is required" })
    .trim()
    .min(1, "ZIP code is required")
    .regex(/^\d{5}(-\d{4})?$/, "Enter a 5-digit ZIP code, like 98101")
    .transform((v) => v.slice(0, 5)),
  /** Only asked for when the ZIP lies in several congressional districts. */
  district: z
    .union([z.string(), z.number(), z.undefined(), z.null()])
    .transform((v) => (v === undefined || v === null || v === "" ? null : Number(v)))
    .refine((v) => v === null || (Number.isInteger(v) && v >= 0 && v <= 99), "Choose your representative"),
  points: checkboxGroup,
  message: z
    .union([z.string(), z.undefined(), z.null()])
    .transform((v) => (v ?? "").trim())
    // Line breaks and tabs belong in a letter; other control characters do not.
    .refine((v) => !CONTROL_BUT_LINE_BREAKS.test(v), "Your message must not contain control characters")
    .pipe(z.string().max(MESSAGE_MAX, `Your message must be at most ${MESSAGE_MAX} characters`))
    .transform((v) => (v === "" ? null : v)),
  consent: checkbox,
  /** Honeypot: hidden from people, filled in by naive bots. */
  website: z.union([z.string(), z.undefined(), z.null()]).transform((v) => v ?? ""),
});

export type SignInput = z.input<typeof SignSchema>;
export type SignValues = z.output<typeof SignSchema>;

/** The form's field names, in the order errors are summarised. */
export const SIGN_FIELDS = [
  "firstName",
  "lastName",
  "email",
  "street",
  "city",
  "state",
  "zip",
  "district",
  "points",
  "message",
] as const;
export type SignField = (typeof SIGN_FIELDS)[number];

export type FieldErrors = Partial<Record<SignField | "form", string>>;

/** Reads a posted form (repeated `points` entries become an array). */
export function formDataToSignInput(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    out[key] = key === "points" ? form.getAll(key).map(String) : String(form.get(key) ?? "");
  }
  return out;
}

export function signErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form") as SignField | "form";
    errors[field] ??= issue.message;
  }
  return errors;
}
