// Bad bodies are refused before anything reads them: too big (413), of a kind no form of ours
// sends (415), or of unknown length (411: a stream could be endless). Browsers and the app's own
// scripts send url-encoded or multipart forms with a Content-Length.
import type { RequestHandler } from "express";

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

function refuse(res: Parameters<RequestHandler>[1], status: number, message: string) {
  // A refused body is not read: close the connection rather than drain a large upload.
  res.status(status).type("text/plain").set({ "Cache-Control": "no-store", Connection: "close" }).send(message);
}

export function limitBodies(limitKb: number): RequestHandler {
  const limit = limitKb * 1024;
  return (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    const declared = req.get("content-length");
    if (declared === undefined) {
      if (req.get("transfer-encoding") === undefined) return next(); // no body at all
      return refuse(res, 411, "Send the form with a Content-Length.");
    }
    const length = Number(declared);
    if (!Number.isSafeInteger(length) || length < 0) return refuse(res, 400, "The Content-Length is not a number.");
    if (length > limit) {
      return refuse(res, 413, `The form you sent is too large (more than ${limitKb} KB). Shorten it and try again.`);
    }
    if (length > 0 && !req.is(FORM_TYPES)) {
      return refuse(
        res,
        415,
        `Send forms as ${FORM_TYPES.join(" or ")}, not ${(req.get("content-type") ?? "").split(";")[0].slice(0, 80) || "an unnamed type"}.`,
      );
    }
    next();
  };
}
