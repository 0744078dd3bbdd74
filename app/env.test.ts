import { describe, expect, it } from "vitest";
import { parseEnv as parseEnvFrom } from "./env.server";

const parseEnv = (vars: Record<string, string>) => parseEnvFrom(vars as NodeJS.ProcessEnv);

describe("the environment", () => {
  it("takes a SQLite file or a PostgreSQL URL, and names DATABASE_URL when it is neither", () => {
    expect(parseEnv({ DATABASE_URL: "file:./data/x.db" }).DATABASE_URL).toBe("file:./data/x.db");
    expect(parseEnv({ DATABASE_URL: "postgresql://u:p@db:5432/sincerely" }).DATABASE_URL).toMatch(/^postgresql:/);
    expect(parseEnv({ DATABASE_URL: "postgres://db/sincerely" }).DATABASE_URL).toMatch(/^postgres:/);
    expect(() => parseEnv({ DATABASE_URL: "mysql://db/sincerely" })).toThrow(
      /DATABASE_URL: must be a file: URL \(SQLite\) or a postgresql:\/\/ URL/,
    );
  });

  it("reads the queue's settings, with defaults, and refuses nonsense by name", () => {
    const defaults = parseEnv({});
    expect(defaults).toMatchObject({
      OFFICE_RATE_PER_MINUTE: 0,
      WORKER_BATCH_SIZE: 10,
      WORKER_LEASE_MS: 60_000,
      RETRY_BASE_MS: 30_000,
      RETRY_CAP_MS: 7_200_000,
      DATABASE_POOL_SIZE: 10,
    });
    expect(parseEnv({ OFFICE_RATE_PER_MINUTE: "30" }).OFFICE_RATE_PER_MINUTE).toBe(30);
    expect(() => parseEnv({ OFFICE_RATE_PER_MINUTE: "-1" })).toThrow(/OFFICE_RATE_PER_MINUTE/);
    expect(() => parseEnv({ WORKER_LEASE_MS: "soon" })).toThrow(/WORKER_LEASE_MS/);
    expect(() => parseEnv({ DATABASE_POOL_SIZE: "0" })).toThrow(/DATABASE_POOL_SIZE/);
  });
});
