// A campaign's effective letter content: what organizers edited (Campaign.content, JSON) or, when
// they have not, the shipped template the campaign names. Shared by signing, the campaign page and
// the organizers' preview, so that a preview shows exactly what signing will compose.
import { z } from "zod";
import { getLetterTemplate } from "./campaigns";
import type { LetterContent, OfficeKind, PhraseContext } from "./campaigns/types";

export const OFFICE_KINDS = ["president", "senator", "house"] as const satisfies readonly OfficeKind[];

export const PLACEHOLDERS = ["place", "city", "state"] as const;

/** Fills `{place}`, `{city}` and `{state}` in a phrase. */
export function fillPhrase(phrase: string, context: PhraseContext): string {
  return phrase.replace(/\{(place|city|state)\}/g, (_, name: string) =>
    name === "place" ? context.place : name === "city" ? context.city : context.stateName,
  );
}

/** A phrase naming a placeholder we do not know would be sent with the braces in it. */
function unknownPlaceholders(phrase: string): string[] {
  return [...phrase.matchAll(/\{([^{}]*)\}/g)]
    .map((m) => m[1])
    .filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
}

export const phraseSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(1500, "must be at most 1500 characters")
  .superRefine((value, ctx) => {
    const unknown = unknownPlaceholders(value);
    if (unknown.length > 0) {
      ctx.addIssue({
        code: "custom",
        message: `uses the unknown placeholder ${unknown.map((n) => `{${n}}`).join(", ")}; use {place}, {city} or {state}`,
      });
    }
  });

const variants = (what: string) => z.array(phraseSchema).min(1, `${what} needs at least one variant`);

const perKind = (what: string) =>
  z.object({
    president: variants(`${what} (White House)`),
    senator: variants(`${what} (senators)`),
    house: variants(`${what} (representatives)`),
  });

export const POINT_KEY = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** Letter content as stored in Campaign.content. */
export const LetterContentSchema = z
  .object({
    points: z
      .array(
        z.object({
          key: z.string().regex(POINT_KEY, "A point's key is lower-case letters, digits and dashes"),
          label: z.string().trim().min(1, "A point needs a label").max(120),
          summary: z.string().trim().min(1, "A point needs a summary").max(600),
        }),
      )
      .min(1, "A campaign needs at least one point")
      .max(12, "At most 12 points"),
    facts: z.array(z.object({ key: z.string(), point: z.string().optional(), variants: z.array(phraseSchema).min(1) })),
    factLeadIns: z.array(z.string()),
    subjects: perKind("Subject"),
    openings: perKind("Opening"),
    asks: z.record(perKind("Ask")),
    coreAsks: perKind("Core ask"),
    closingParagraphs: perKind("Closing paragraph"),
    signOffs: z.array(z.string().trim().min(1)).min(1),
  })
  .superRefine((content, ctx) => {
    const keys = content.points.map((p) => p.key);
    keys.forEach((key, i) => {
      if (keys.indexOf(key) !== i)
        ctx.addIssue({ code: "custom", path: ["points", i, "key"], message: `Two points share the key "${key}"` });
      if (!content.asks[key])
        ctx.addIssue({ code: "custom", path: ["asks", key], message: `Point "${key}" has no asks` });
    });
  });

export type StoredLetterContent = z.output<typeof LetterContentSchema>;

/** The content a campaign's letters are composed from. */
export function campaignContent(campaign: { template: string; content: string | null }): LetterContent {
  if (campaign.content === null) return getLetterTemplate(campaign.template);
  const parsed = LetterContentSchema.safeParse(JSON.parse(campaign.content));
  if (!parsed.success) {
    // Only validated content is ever stored; reaching this means the row was edited by hand.
    throw new Error(`Campaign content does not validate: ${parsed.error.issues[0]?.message ?? "unknown"}`);
  }
  return parsed.data;
}
