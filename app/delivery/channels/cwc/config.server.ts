// The CWC channels' configuration block of the environment. A chamber's channel is on when its
// API key is set; the delivery agent's five details are then required, because every message
// carries them and CWC refuses one whose agent does not match the key's registration.
// Meant to be merged into app/env.server.ts; parseCwcConfig names the variable at fault.
import { z } from "zod";
import type { CwcDeliveryAgent } from "./message.server";
import { CWC_LENGTHS, CWC_PATTERNS, characterCount } from "./limits";

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const url = (fallback: string) =>
  optional
    .pipe(
      z
        .string()
        .url()
        .refine((v) => /^https?:\/\//.test(v), { message: "must be an http(s):// URL" })
        .optional(),
    )
    .transform((v) => (v ?? fallback).replace(/\/+$/, ""));

export const CwcEnvSchema = z
  .object({
    CWC_HOUSE_API_KEY: optional,
    CWC_HOUSE_URL: url("https://cwc.house.gov"),
    CWC_HOUSE_TEST_URL: url("https://uat-cwc.house.gov"),
    SCWC_API_KEY: optional,
    SCWC_URL: url("https://soapbox.senate.gov"),
    CWC_DELIVERY_AGENT: optional,
    CWC_ACK_EMAIL: optional,
    CWC_CONTACT_NAME: optional,
    CWC_CONTACT_EMAIL: optional,
    CWC_CONTACT_PHONE: optional,
  })
  .superRefine((e, ctx) => {
    if (!e.CWC_HOUSE_API_KEY && !e.SCWC_API_KEY) return;
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    const needed = "is required when CWC_HOUSE_API_KEY or SCWC_API_KEY is set";
    const length = (path: string, value: string, rule: { min: number; max: number }) => {
      const count = characterCount(value);
      if (count < rule.min || count > rule.max) issue(path, `must be ${rule.min} to ${rule.max} characters`);
    };
    if (!e.CWC_DELIVERY_AGENT) issue("CWC_DELIVERY_AGENT", `${needed} (the name the keys were issued to)`);
    else length("CWC_DELIVERY_AGENT", e.CWC_DELIVERY_AGENT, CWC_LENGTHS.deliveryAgent);
    for (const name of ["CWC_ACK_EMAIL", "CWC_CONTACT_EMAIL"] as const) {
      const value = e[name];
      if (!value) issue(name, needed);
      else if (!CWC_PATTERNS.email.test(value)) issue(name, "must be an e-mail address");
    }
    if (!e.CWC_CONTACT_NAME) issue("CWC_CONTACT_NAME", needed);
    else length("CWC_CONTACT_NAME", e.CWC_CONTACT_NAME, CWC_LENGTHS.deliveryAgentContactName);
    if (!e.CWC_CONTACT_PHONE) issue("CWC_CONTACT_PHONE", needed);
    else if (!CWC_PATTERNS.phone.test(e.CWC_CONTACT_PHONE)) issue("CWC_CONTACT_PHONE", "must look like 202-555-0142");
  });

export interface CwcConfig {
  /** null: the House channel is off. The one key serves both the live and the test service. */
  house: { apiKey: string; url: string; testUrl: string } | null;
  /** null: the Senate channel is off. */
  senate: { apiKey: string; url: string } | null;
  /** Set whenever a chamber is on. */
  agent: CwcDeliveryAgent | null;
}

export function toCwcConfig(e: z.infer<typeof CwcEnvSchema>): CwcConfig {
  const on = Boolean(e.CWC_HOUSE_API_KEY || e.SCWC_API_KEY);
  return {
    house: e.CWC_HOUSE_API_KEY
      ? { apiKey: e.CWC_HOUSE_API_KEY, url: e.CWC_HOUSE_URL, testUrl: e.CWC_HOUSE_TEST_URL }
      : null,
    senate: e.SCWC_API_KEY ? { apiKey: e.SCWC_API_KEY, url: e.SCWC_URL } : null,
    agent: on
      ? {
          name: e.CWC_DELIVERY_AGENT!,
          ackEmail: e.CWC_ACK_EMAIL!,
          contactName: e.CWC_CONTACT_NAME!,
          contactEmail: e.CWC_CONTACT_EMAIL!,
          contactPhone: e.CWC_CONTACT_PHONE!,
        }
      : null,
  };
}

/** The CWC configuration from the environment; throws naming each variable at fault. */
export function parseCwcConfig(source: Record<string, string | undefined> = process.env): CwcConfig {
  const result = CwcEnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return toCwcConfig(result.data);
}
