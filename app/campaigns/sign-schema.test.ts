import { describe, expect, test } from "vitest";
import { formDataToSignInput, SignSchema, signErrors } from "./sign-schema";

const valid = {
  firstName: "  Maria ",
  lastName: "Lopez",
  email: " Maria.Lopez@Example.org ",
  street: "1200 N 45th St",
  city: "Seattle",
  state: "wa",
  zip: "98103-1234",
  points: ["ban", "accede"],
  message: "  I served in Korea.  ",
  consent: "on",
  website: "",
};

describe("the sign form's schema", () => {
  test("accepts a complete form and normalises it", () => {
    const out = SignSchema.parse(valid);
    expect(out).toMatchObject({
      firstName: "Maria",
      email: "maria.lopez@example.org",
      state: "WA",
      zip: "98103",
      district: null,
      points: ["ban", "accede"],
      message: "I served in Korea.",
      consent: true,
    });
  });

  test("reads what a plain HTML form posts (no JavaScript)", () => {
    const form = new FormData();
    for (const [k, v] of Object.entries(valid)) {
      if (Array.isArray(v)) v.forEach((x) => form.append(k, x));
      else form.append(k, v);
    }
    form.append("district", "7");
    const out = SignSchema.parse(formDataToSignInput(form));
    expect(out.points).toEqual(["ban", "accede"]);
    expect(out.district).toBe(7);
    expect(out.consent).toBe(true);
  });

  test("reads what react-hook-form hands over (booleans, one ticked box as a string, none as false)", () => {
    expect(SignSchema.parse({ ...valid, consent: false, points: "ban" })).toMatchObject({
      consent: false,
      points: ["ban"],
    });
    expect(SignSchema.parse({ ...valid, consent: undefined, points: false })).toMatchObject({
      consent: false,
      points: [],
    });
  });

  test("names each missing field", () => {
    const result = SignSchema.safeParse({});
    expect(result.success).toBe(false);
    const errors = signErrors(result.error!);
    expect(errors).toMatchObject({
      firstName: "First name is required",
      lastName: "Last name is required",
      email: "Email is required",
      street: "Street address is required",
      city: "City is required",
      state: "State is required",
      zip: "ZIP code is required",
    });
  });

  test.each([
    ["email", "not-an-email", "Enter an email address"],
    ["zip", "9810", "5-digit ZIP"],
    ["zip", "98103x", "5-digit ZIP"],
    ["state", "XX", "Choose a state"],
    ["firstName", "A".repeat(81), "at most 80"],
    ["message", "x".repeat(2001), "at most 2000"],
    ["lastName", "Smith\r\nBcc: victim@example.org", "control characters"],
    ["street", "1 Main St\u0000", "control characters"],
    ["district", "seven", "Choose your representative"],
    ["city", "Seattle\u2028Bcc: victim@example.org", "line breaks"],
    ["firstName", "Ada\u0085", "control characters"],
    ["email", "ada@example.org\r\nBcc: victim@example.org", "Enter an email address"],
    ["message", "Hello\u0000", "must not contain control characters"],
    ["message", "esc\u001b[31m", "must not contain control characters"],
    ["points", ["x".repeat(101)], "Unknown point"],
    ["points", Array.from({ length: 21 }, (_, i) => `p${i}`), "at most 20 points"],
  ])("rejects %s = %j with a message naming the problem", (field, value, message) => {
    const result = SignSchema.safeParse({ ...valid, [field]: value });
    expect(result.success).toBe(false);
    expect(signErrors(result.error!)[field as "email"]).toContain(message);
  });

  test("a message keeps its line breaks and tabs", () => {
    expect(SignSchema.parse({ ...valid, message: "Dear all,\r\n\tthank you." }).message).toBe(
      "Dear all,\r\n\tthank you.",
    );
  });

  test("ignores fields it does not know", () => {
    const out = SignSchema.parse({ ...valid, isAdmin: "true", status: "confirmed", ipHash: "x" });
    expect(out).not.toHaveProperty("isAdmin");
    expect(out).not.toHaveProperty("status");
    expect(out).not.toHaveProperty("ipHash");
  });

  test("a blank message is no message", () => {
    expect(SignSchema.parse({ ...valid, message: "   " }).message).toBeNull();
  });
});
