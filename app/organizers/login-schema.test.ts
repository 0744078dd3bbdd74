import { describe, expect, test } from "vitest";
import { LoginSchema } from "./login-schema";

const errors = (input: Record<string, unknown>) => {
  const result = LoginSchema.safeParse(input);
  const out: Record<string, string> = {};
  // The first issue per field is the one the form shows.
  if (!result.success) for (const i of result.error.issues) out[String(i.path[0])] ??= i.message;
  return out;
};

describe("the sign-in form's schema", () => {
  test("names the field at fault", () => {
    expect(errors({ email: "", password: "" })).toEqual({
      email: "Email is required",
      password: "Password is required",
    });
    expect(errors({ email: "owner@example.org\r\nBcc: x@evil.example", password: "p" }).email).toMatch(/email address/);
    expect(errors({ email: `${"a".repeat(250)}@example.org`, password: "p" }).email).toMatch(/at most 254/);
    expect(errors({ email: "owner@example.org", password: "x".repeat(1025) }).password).toMatch(/at most 1024/);
  });

  test("drops a return path it cannot use instead of refusing the sign-in", () => {
    const out = LoginSchema.parse({ email: "Owner@Example.org", password: "p", redirectTo: "/".repeat(3000) });
    expect(out).toEqual({ email: "owner@example.org", password: "p", redirectTo: undefined });
  });
});
