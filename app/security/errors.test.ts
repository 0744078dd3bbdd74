import { describe, expect, it } from "vitest";
import { describeError, redactPersonalData } from "./errors.server";

describe("log lines", () => {
  it("hold no e-mail address and no token", () => {
    expect(redactPersonalData("550 5.1.1 <ada.lovelace@example.org>: Recipient address rejected")).toBe(
      "550 5.1.1 <<address>>: Recipient address rejected",
    );
    expect(redactPersonalData("/confirm/AbC-123_xyz")).toBe("/confirm/<token>");
    expect(redactPersonalData("/confirm/AbC?x=1")).toBe("/confirm/<token>?x=1");
  });

  it("say what kind of error it was in one line, without the rest of its message", () => {
    const error = Object.assign(new Error('Invalid `prisma.signature.create()` invocation:\n  email: "a@b.org"'), {
      code: "P2002",
    });
    expect(describeError(error)).toBe("Error P2002: Invalid `prisma.signature.create()` invocation:");
    expect(describeError("a string")).toBe("non-Error value thrown");
  });
});
