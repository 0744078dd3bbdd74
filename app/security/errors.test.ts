import { describe, expect, it, vi } from "vitest";
import { handleError } from "~/entry.server";
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

describe("Remix's error hook", () => {
  it("logs a failed page or action in one line, without the supporter's data or the link's token", () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const error = new Error("could not send to ada@example.org\n    at send (/app/mail.ts:1:1)");
      const request = new Request("http://localhost/confirm/SeCrEtToKeN123", { method: "POST" });
      handleError(error, { request, params: {}, context: {} });
      expect(spy).toHaveBeenCalledTimes(1);
      const line = String(spy.mock.calls[0][0]);
      expect(line).toBe("[web] POST /confirm/<token> failed: Error: could not send to <address>");
      // "No such page" is an answer, not a failure.
      const notFound = Object.assign(new Error("No route matches URL"), { status: 404 });
      handleError(notFound, { request: new Request("http://localhost/nowhere"), params: {}, context: {} });
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});
