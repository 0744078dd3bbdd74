// The browser's own defences, set on every answer: a Content-Security-Policy whose scripts must
// carry this request's nonce (an injected <script> has none), no framing, no referrer beyond this
// site, no MIME sniffing, and HSTS in production. `helmet` sets them; the nonce is made here.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestHandler, Response } from "express";
import helmet from "helmet";

export function nonceOf(res: ServerResponse): string {
  return ((res as Response).locals?.cspNonce as string | undefined) ?? "";
}

/** A fresh nonce per request, for the CSP header and the page's <script nonce>. */
export const makeNonce: RequestHandler = (_req, res, next) => {
  res.locals.cspNonce = randomBytes(16).toString("base64");
  next();
};

export function securityHeaders({ production, dev, https }: { production: boolean; dev: boolean; https: boolean }) {
  const nonce = (_req: IncomingMessage, res: ServerResponse) => `'nonce-${nonceOf(res)}'`;
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        // Vite's dev server injects inline scripts and styles and talks over a WebSocket: relax
        // only there. A nonce would switch 'unsafe-inline' off, so dev has none.
        "script-src": dev ? ["'self'", "'unsafe-inline'", "'unsafe-eval'"] : ["'self'", nonce],
        "style-src": dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
        // Style attributes only (the goal bar's width): they cannot run script, and img-src
        // below keeps them from loading anything from elsewhere.
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": dev ? ["'self'", "ws:", "wss:"] : ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
        ...(https ? { "upgrade-insecure-requests": [] } : {}),
      },
    },
    // A confirmation link carries its token in the path: never tell another site where the
    // visitor came from.
    referrerPolicy: { policy: "same-origin" },
    frameguard: { action: "deny" },
    // Only a production site promises to be HTTPS-only (a local http:// run must not be pinned).
    strictTransportSecurity: production ? { maxAge: 365 * 24 * 60 * 60, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
}
