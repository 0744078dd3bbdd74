// The environment, parsed once at start-up. A bad value stops the process with a
// message naming the variable (see README "Configuration").
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { DEFAULT_DATABASE_URL, isPostgresUrl } from "./db/url";

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .default(DEFAULT_DATABASE_URL)
    .refine((v) => v.startsWith("file:") || isPostgresUrl(v), {
      message: "must be a file: URL (SQLite) or a postgresql:// URL (PostgreSQL)",
    }),
  /// PostgreSQL: connections per process (read by createDb; checked here so a bad value stops the start).
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  SMTP_URL: optionalString.pipe(
    z
      .string()
      .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
      .optional(),
  ),
  MAIL_FROM: z
    .string()
    .default("Sincerely <letters@sincerely.localhost>")
    // Its domain names every letter's Message-ID: "Name <address@domain>" or a bare address.
    .refine((v) => /^(?:[^<>]*<\s*[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+\s*>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/.test(v.trim()), {
      message: 'must be an address with a domain, like "Campaign <letters@example.org>"',
    }),
  /// Where the seeded campaign's test-mode letters go (default: ADMIN_EMAIL, else a placeholder).
  TEST_INBOX: optionalString.pipe(z.string().email().optional()),
  APP_URL: optionalString.pipe(z.string().url().optional()),
  SESSION_SECRET: optionalString,
  ADMIN_EMAIL: optionalString.pipe(z.string().email().optional()),
  ADMIN_PASSWORD: optionalString,
  WORKER: z.enum(["inline", "off"]).default("inline"),
  MAIL_REDIRECT_TO: optionalString.pipe(z.string().email().optional()),
  TRUST_PROXY: z.enum(["0", "1", ""]).optional(),
  OUTBOX_DIR: z.string().default("./outbox"),
  /// How often an idle worker looks for work, in milliseconds.
  WORKER_POLL_MS: z.coerce.number().int().min(10).default(1000),
  /// How many deliveries a worker claims at once (its letters in flight).
  WORKER_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  /// How many letters of a batch a worker sends at the same time; 5 matches nodemailer's SMTP pool.
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
  /// How long a claim stays a worker's without a heartbeat: a crashed worker's letters return after it.
  WORKER_LEASE_MS: z.coerce.number().int().min(1000).default(60_000),
  /// Retries of transient failures wait between RETRY_BASE_MS and a ceiling that doubles per attempt up to RETRY_CAP_MS.
  RETRY_BASE_MS: z.coerce.number().int().min(10).default(30_000),
  RETRY_CAP_MS: z.coerce
    .number()
    .int()
    .min(10)
    .default(2 * 60 * 60 * 1000),
  /// At most this many letters per office per minute, across all workers; 0 = no limit.
  OFFICE_RATE_PER_MINUTE: z.coerce.number().int().min(0).default(0),
  /// The key for the keyed hashes of client IP addresses (default: derived from SESSION_SECRET).
  IP_HASH_KEY: optionalString,
  /// Days a signature keeps the hash of the address it was sent from (0: never stored).
  IP_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  /// Largest request body accepted, in kilobytes; bigger ones are refused before they are read.
  BODY_LIMIT_KB: z.coerce.number().int().min(1).max(10_240).default(64),
  /// The same for the organizers' area (campaign content, CSV imports).
  ADMIN_BODY_LIMIT_KB: z.coerce.number().int().min(1).max(102_400).default(1024),
  /// Rate limits (see README "Security"): how many requests each key may make per window.
  RATE_LIMIT_SIGN_PER_IP: z.coerce.number().int().min(1).default(30),
  RATE_LIMIT_SIGN_PER_EMAIL: z.coerce.number().int().min(1).default(5),
  RATE_LIMIT_CONFIRM_PER_IP: z.coerce.number().int().min(1).default(60),
  RATE_LIMIT_RESEND_PER_LINK: z.coerce.number().int().min(1).default(3),
  RATE_LIMIT_LOGIN_FAILURES_PER_EMAIL: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_LOGIN_FAILURES_PER_IP: z.coerce.number().int().min(1).default(100),
  RATE_LIMIT_ERASURE_PER_IP: z.coerce.number().int().min(1).default(10),
});

// A production server must not sign sessions (or key address hashes) with a secret that anyone
// who reads this code knows, nor with one that changes on every restart.
const CheckedEnvSchema = EnvSchema.superRefine((e, ctx) => {
  if (e.NODE_ENV !== "production") return;
  if (!e.SESSION_SECRET) {
    ctx.addIssue({
      code: "custom",
      path: ["SESSION_SECRET"],
      message: "is required when NODE_ENV=production (a long random string, e.g. `openssl rand -hex 32`)",
    });
  } else if (e.SESSION_SECRET.length < 32) {
    ctx.addIssue({
      code: "custom",
      path: ["SESSION_SECRET"],
      message: "must be at least 32 characters when NODE_ENV=production",
    });
  }
});

export type Env = z.infer<typeof EnvSchema>;

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = CheckedEnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;

/** The process's environment, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}

/** The public address of the app, for links in e-mails. */
export function appUrl(): string {
  const e = env();
  return (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
}

const globalForSecret = globalThis as unknown as { __sincerelyDevSecret?: string };

/**
 * The secret that signs cookies and supporters' unsubscribe links: SESSION_SECRET, or (unset)
 * a random one made at start-up, so sessions and links work until the process restarts.
 */
export function appSecret(): string {
  const configured = env().SESSION_SECRET;
  if (configured) return configured;
  globalForSecret.__sincerelyDevSecret ??= randomBytes(32).toString("hex");
  return globalForSecret.__sincerelyDevSecret;
}
