// The web defences in front of Remix, in order: a nonce and the security headers on every
// answer, then for posts the origin check and the body limits, before anything reads a body.
import type { Express, Request, Response } from "express";
import type { Env } from "~/env.server";
import { limitBodies } from "./body-limits.server";
import { makeNonce, securityHeaders } from "./headers.server";
import { normaliseIp } from "./ip-hash.server";
import { checkOrigin } from "./origin.server";
import "./context";

export function installDefences(
  app: Express,
  config: Pick<Env, "NODE_ENV" | "APP_URL" | "TRUST_PROXY" | "BODY_LIMIT_KB"> & { ADMIN_BODY_LIMIT_KB?: number },
  { dev = false }: { dev?: boolean } = {},
): void {
  app.disable("x-powered-by");
  // Behind one reverse proxy, the client is the address that proxy saw (the last X-Forwarded-For
  // entry), not whatever the client wrote into the header itself. Without one, the header is ignored.
  app.set("trust proxy", config.TRUST_PROXY === "1" ? 1 : false);
  app.use(makeNonce);
  app.use(
    securityHeaders({
      production: config.NODE_ENV === "production",
      dev,
      https: (config.APP_URL ?? "").startsWith("https://"),
    }),
  );
  app.use(checkOrigin(config.APP_URL));
  app.use(limitBodies(config.BODY_LIMIT_KB, config.ADMIN_BODY_LIMIT_KB));
}

/** What every loader and action receives besides the request (see ./context). */
export function loadContext(req: Request, res: Response) {
  return {
    cspNonce: res.locals.cspNonce as string,
    clientIp: normaliseIp(req.ip),
    clientCaughtUp: () => clientCaughtUp(res),
  };
}

/**
 * Polls rather than waiting for "drain": the compression middleware hands "drain" listeners to
 * its zlib stream, whose buffer is not the socket's. A fast client never waits.
 */
export function clientCaughtUp(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (!res.writableNeedDrain || res.destroyed ? resolve() : setTimeout(check, 20));
    check();
  });
}
