// Cross-site request forgery: a page elsewhere must not make a visitor's browser post to us
// (sign in their name, act with an organizer's session). Browsers say where a post comes from
// in `Origin` (all current ones, on every POST) or at least `Referer`; a post that names another
// site is refused. The session cookie is SameSite=Lax as a second lock.
import type { RequestHandler } from "express";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The origins a post may come from: APP_URL's and the one the request was sent to. */
export function allowedOrigins(host: string | undefined, protocol: string, appUrl: string | undefined): Set<string> {
  const allowed = new Set<string>();
  if (appUrl) allowed.add(new URL(appUrl).origin);
  if (host) allowed.add(`${protocol}://${host}`.toLowerCase());
  return allowed;
}

/**
 * Which site a request says it comes from: its Origin, else its Referer's origin, else
 * undefined when it says neither (not a browser, so not a forgery: forging needs a victim's
 * browser, and browsers send one of the two). "null" (a sandboxed or opaque origin) stays "null".
 */
export function claimedOrigin(origin: string | undefined, referer: string | undefined): string | undefined {
  if (origin !== undefined && origin !== "") return origin.toLowerCase();
  if (referer !== undefined && referer !== "") return originOf(referer) ?? "null";
  return undefined;
}

export function checkOrigin(appUrl: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const claimed = claimedOrigin(req.get("origin"), req.get("referer"));
    if (claimed === undefined || allowedOrigins(req.get("host"), req.protocol, appUrl).has(claimed)) return next();
    res
      .status(403)
      .type("text/plain")
      .set("Cache-Control", "no-store")
      .send(
        "This form was sent from another website, so it was refused. Open the page on this site and send it again.",
      );
  };
}
