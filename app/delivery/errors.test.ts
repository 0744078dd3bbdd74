import { describe, expect, it } from "vitest";
import { classifySendError, nextRunAt } from "./errors.server";

function smtpError(message: string, fields: Record<string, unknown>) {
  return Object.assign(new Error(message), fields);
}

describe("classifySendError", () => {
  it("gives up on a mailbox the server refuses for good", () => {
    const failure = classifySendError(
      smtpError("Can't send mail - all recipients were rejected: 550 5.1.1 No such mailbox", {
        code: "EENVELOPE",
        responseCode: 550,
        response: "550 5.1.1 No such mailbox",
        command: "RCPT TO",
      }),
    );
    expect(failure).toMatchObject({ kind: "permanent", responseCode: 550 });
    expect(failure.reason).toContain("550 5.1.1 No such mailbox");
  });

  it("retries greylisting and other 4xx replies", () => {
    expect(
      classifySendError(
        smtpError("451", {
          code: "EENVELOPE",
          responseCode: 451,
          response: "451 4.7.1 Greylisted",
        }),
      ),
    ).toMatchObject({
      kind: "transient",
      reason: "EENVELOPE: 451 4.7.1 Greylisted",
    });
  });

  it.each(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS"])("retries a %s connection failure", (code) => {
    expect(classifySendError(smtpError("connect failed", { code })).kind).toBe("transient");
  });

  it("retries when our own credentials or sender address are refused, since the letter is not at fault", () => {
    expect(
      classifySendError(
        smtpError("Invalid login", {
          code: "EAUTH",
          responseCode: 535,
          response: "535 5.7.8 Bad credentials",
        }),
      ).kind,
    ).toBe("transient");
    expect(
      classifySendError(
        smtpError("sender", {
          code: "EENVELOPE",
          responseCode: 550,
          command: "MAIL FROM",
        }),
      ).kind,
    ).toBe("transient");
  });

  it("retries anything it does not recognise, keeping the message as the reason", () => {
    expect(classifySendError(new Error("disk full"))).toEqual({
      kind: "transient",
      reason: "disk full",
    });
    expect(classifySendError("weird")).toEqual({
      kind: "transient",
      reason: "weird",
    });
  });
});

describe("nextRunAt", () => {
  const now = new Date("2030-01-01T00:00:00.000Z");
  const options = { baseMs: 1000, capMs: 60_000 };
  const waitMs = (attempt: number, random: () => number) =>
    nextRunAt(attempt, now, options, random).getTime() - now.getTime();

  it("waits at least the base and at most a ceiling that doubles with each attempt", () => {
    expect(waitMs(1, () => 0)).toBe(1000);
    expect(waitMs(1, () => 1)).toBe(1000);
    expect(waitMs(2, () => 1)).toBe(2000);
    expect(waitMs(3, () => 1)).toBe(4000);
    expect(waitMs(4, () => 0)).toBe(1000);
    expect(waitMs(4, () => 0.5)).toBe(4500);
  });

  it("never waits longer than the cap, however many attempts", () => {
    expect(waitMs(7, () => 1)).toBe(60_000);
    expect(waitMs(5000, () => 1)).toBe(60_000);
  });

  it("spreads retries of letters that failed together", () => {
    const waits = new Set(Array.from({ length: 20 }, () => waitMs(6, Math.random)));
    expect(waits.size).toBeGreaterThan(10);
    for (const w of waits) {
      expect(w).toBeGreaterThanOrEqual(1000);
      expect(w).toBeLessThanOrEqual(32_000);
    }
  });
});
