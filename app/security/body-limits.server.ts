// Bad bodies are refused before anything reads them: too big (413), of a kind no form of ours
// sends (415), or of unknown length (411: a stream could be endless). Browsers and the app's own
// scripts send url-encoded or multipart forms with a Content-Length.
import type { RequestHandler } from "express";

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

function refuse(res: Parameters<RequestHandler>[1], status: number, message: string) {
  // A refused body is not read: close the connection rather than drain a large upload.
  res.status(status).type("text/plain").set({ "Cache-Control": "no-store", Connection: "close" }).send(message);
}

/**
 * `limitKb` for every form; the organizers' area (`/admin/…`) may send up to `adminLimitKb`, because a
 * campaign's letter content with many variants, or a CSV of office addresses, outgrows a sign form.
 * Its routes check the session before they read a body, so a visitor gains nothing from the larger limit.
 */
export function limitBodies(limitKb: number, adminLimitKb = limitKb): RequestHandler {
  return (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    const kb = req.path.startsWith("/admin/") ? Math.max(limitKb, adminLimitKb) : limitKb;
    const limit = kb * 1024;
    const declared = req.get("content-length");
    if (declared === undefined) {
      if (req.get("transfer-encoding") === undefined) return next(); // no body at all
      return refuse(res, 411, "Send the form with a Content-Length.");
    }
    const length = Number(declared);
    if (!Number.isSafeInteger(length) || length < 0) return refuse(res, 400, "The Content-Length is not a number.");
    if (length > limit) {
      return refuse(res, 413, `The form you sent is too large (more than ${kb} KB). Shorten it and try again.`);
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
