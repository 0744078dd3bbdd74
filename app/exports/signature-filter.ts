// The signature export's filter: one schema for the filter form (browser) and the export
// route (server). Every field is optional; an empty field means "all".
import { z } from "zod";
import { findState } from "~/offices/states";

export const EXPORT_STATUSES = ["all", "confirmed", "pending", "review", "rejected"] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

export const EXPORT_STATUS_LABELS: Record<ExportStatus, string> = {
  all: "All (confirmed and pending)",
  confirmed: "Confirmed (counted)",
  pending: "Waiting for e-mail confirmation",
  review: "Held for moderation",
  rejected: "Rejected in moderation",
};

const day = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))
  .refine((v) => v === undefined || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`))), {
    message: "Enter a date as YYYY-MM-DD",
  });

export const SignatureFilterSchema = z
  .object({
    campaign: z.string({ required_error: "Choose a campaign" }).trim().min(1, "Choose a campaign").max(200),
    status: z.enum(EXPORT_STATUSES, { errorMap: () => ({ message: "Choose a status from the list" }) }).default("all"),
    state: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v.toUpperCase() : undefined))
      .refine((v) => v === undefined || findState(v) !== undefined, { message: "Choose a state from the list" }),
    from: day,
    to: day,
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, {
    message: "The end date must be on or after the start date",
    path: ["to"],
  });

export type SignatureFilterInput = z.input<typeof SignatureFilterSchema>;
export type SignatureFilter = z.output<typeof SignatureFilterSchema>;

/** The first error per field, for showing beside the fields. */
export function filterErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
  return errors;
}

/** The query string of an export link for a filter (empty fields left out). */
export function filterQuery(filter: SignatureFilter): string {
  const params = new URLSearchParams();
  params.set("campaign", filter.campaign);
  if (filter.status !== "all") params.set("status", filter.status);
  if (filter.state) params.set("state", filter.state);
  if (filter.from) params.set("from", filter.from);
  if (filter.to) params.set("to", filter.to);
  return params.toString();
}
