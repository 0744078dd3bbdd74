// The session secret (which also keys address hashes) is required in production and has no
// default there; elsewhere a local run works without one.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parseEnv } from "~/env.server";

describe("SESSION_SECRET", () => {
  it("is required when NODE_ENV=production, with a message naming it", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/SESSION_SECRET: is required when NODE_ENV=production/);
    expect(() => parseEnv({ NODE_ENV: "production", SESSION_SECRET: "   " })).toThrow(/SESSION_SECRET/);
    expect(() => parseEnv({ NODE_ENV: "production", SESSION_SECRET: "short" })).toThrow(/at least 32 characters/);
    expect(parseEnv({ NODE_ENV: "production", SESSION_SECRET: "x".repeat(32) }).SESSION_SECRET).toBe("x".repeat(32));
  });

  it("may be left out outside production", () => {
    expect(parseEnv({ NODE_ENV: "development" }).SESSION_SECRET).toBeUndefined();
    expect(parseEnv({ NODE_ENV: "test" }).SESSION_SECRET).toBeUndefined();
  });

  it("stops a production server at start-up, before it serves anything", () => {
    const result = spawnSync("npx", ["tsx", "server/index.ts"], {
      env: { ...process.env, NODE_ENV: "production", SESSION_SECRET: "", PORT: "3239" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/SESSION_SECRET: is required when NODE_ENV=production/);
  });
});

describe("security settings", () => {
  it("have sane defaults and refuse nonsense", () => {
    const e = parseEnv({ NODE_ENV: "development" });
    expect(e.IP_RETENTION_DAYS).toBe(30);
    expect(e.BODY_LIMIT_KB).toBe(64);
    expect(e.RATE_LIMIT_SIGN_PER_EMAIL).toBeGreaterThan(0);
    expect(() => parseEnv({ NODE_ENV: "development", RATE_LIMIT_SIGN_PER_IP: "0" })).toThrow(/RATE_LIMIT_SIGN_PER_IP/);
    expect(() => parseEnv({ NODE_ENV: "development", IP_RETENTION_DAYS: "-1" })).toThrow(/IP_RETENTION_DAYS/);
  });
});
