// Print-and-mail's settings. LOB_API_KEY turns the channel on; without it no office takes letters
// by post. Parsed with zod like app/env.server.ts (to be merged there): a bad value stops the start
// with a message naming the variable.
import { z } from "zod";

const blankIsUnset = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const PrintEnvSchema = z.object({
  /// Lob's secret key: test_… prints nothing (Lob answers as if it did), live_… prints and posts.
  LOB_API_KEY: blankIsUnset.pipe(
    z
      .string()
      .regex(/^(test|live)_[A-Za-z0-9]+$/, "must be a Lob secret key, beginning test_ or live_")
      .optional(),
  ),
  /// Lob's API, without /v1; tests point it at the fake in test/fakes/lob.ts.
  LOB_URL: blankIsUnset.pipe(
    z
      .string()
      .url("must be an http:// or https:// URL")
      .refine((v) => /^https?:\/\//.test(v), "must be an http:// or https:// URL")
      .default("https://api.lob.com"),
  ),
});

export interface PrintConfig {
  apiKey: string;
  /** Without a trailing slash. */
  url: string;
  /** Which kind of key: a test key never prints, whatever the campaign's mode. */
  keyMode: "test" | "live";
}

/** Print-and-mail's configuration, or null when LOB_API_KEY is unset (the channel is off). */
export function parsePrintConfig(source: Record<string, string | undefined> = process.env): PrintConfig | null {
  const result = PrintEnvSchema.safeParse({ LOB_API_KEY: source.LOB_API_KEY, LOB_URL: source.LOB_URL });
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const { LOB_API_KEY: apiKey, LOB_URL: url } = result.data;
  if (!apiKey) return null;
  return { apiKey, url: url.replace(/\/+$/, ""), keyMode: apiKey.startsWith("live_") ? "live" : "test" };
}
