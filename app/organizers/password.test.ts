import { describe, expect, test } from "vitest";
import { hashPassword, verifyPassword } from "./password.server";
import { safeRedirect, secureCookie } from "./session.server";

describe("organizer passwords", () => {
  test("a hash verifies its own password and no other, and never contains the password", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(hash).not.toContain("correct horse");
    expect(hash.startsWith("scrypt$")).toBe(true);
    expect(await verifyPassword("correct horse battery staple", hash)).toBe(true);
    expect(await verifyPassword("correct horse battery stapl", hash)).toBe(false);
  });

  test("two hashes of one password differ (random salt)", async () => {
    expect(await hashPassword("same")).not.toBe(await hashPassword("same"));
  });

  test("a malformed stored hash verifies nothing", async () => {
    expect(await verifyPassword("x", "plain-text")).toBe(false);
  });
});

describe("the redirect after signing in", () => {
  test.each([
    ["/admin/outbox", "/admin/outbox"],
    ["https://evil.example/admin", "/admin"],
    ["//evil.example/admin", "/admin"],
    ["/c/somewhere", "/admin"],
    [null, "/admin"],
  ])("%s → %s", (input, expected) => {
    expect(safeRedirect(input)).toBe(expected);
  });
});

describe("the session cookie", () => {
  test.each([
    ["https://letters.example.org", "development", true],
    ["http://letters.example.org", "production", true],
    ["http://localhost:3000", "production", false],
    ["http://127.0.0.1:3211", "production", false],
    ["http://letters.example.org", "development", false],
  ] as const)("at %s in %s is Secure: %s", (url, nodeEnv, secure) => {
    expect(secureCookie(url, nodeEnv)).toBe(secure);
  });
});
