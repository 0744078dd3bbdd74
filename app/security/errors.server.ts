// Errors answer with a plain page: no stack trace, no Prisma message, no SQL. The log keeps
// what an operator needs (which request, what kind of error) and no personal data.
import type { ErrorRequestHandler } from "express";

const EMAIL = /[^\s<>"'(),;:@]+@[^\s<>"'(),;:@]+\.[^\s<>"'(),;:@]+/g;

/** Removes e-mail addresses and confirmation/invite tokens from text bound for a log. */
export function redactPersonalData(text: string): string {
  return text.replace(EMAIL, "<address>").replace(/\/(confirm|invite|unsubscribe)\/[^/?\s]+/g, "/$1/<token>");
}

/** One line for the log: the error's kind, its code (Prisma's P…), the first line of its message. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return "non-Error value thrown";
  const code = (error as { code?: unknown }).code;
  const first = error.message.split("\n").find((l) => l.trim() !== "") ?? "";
  return redactPersonalData(`${error.name}${typeof code === "string" ? ` ${code}` : ""}: ${first.slice(0, 300)}`);
}

export const PLAIN_500 =
  "Something went wrong on our side and the page could not be shown. Please try again in a moment.";

export function answerErrors(): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    // Errors Express itself raises for a bad request (a malformed path, say) carry a 4xx status.
    const status = (error as { status?: unknown }).status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      res.status(status).type("text/plain").send("The request could not be understood.");
      return;
    }
    console.error(`[web] ${req.method} ${redactPersonalData(req.path)} failed: ${describeError(error)}`);
    res.status(500).type("text/plain").set("Cache-Control", "no-store").send(PLAIN_500);
  };
}
