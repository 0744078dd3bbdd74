// A route module's loader served over real HTTP the way the app serves it: Express, Remix's own
// adapter around the loader (its request and response handling), and the server's load context.
// For tests of what only shows on a real connection (a download cut off, a client reading slowly).
import { createRemixRequest, sendRemixResponse } from "@remix-run/express/dist/server.js";
import type { LoaderFunctionArgs } from "@remix-run/node";
import express from "express";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { loadContext } from "~/security/http.server";

export interface RouteServer {
  base: string;
  close(): Promise<void>;
}

export async function serveLoader(
  path: string,
  loader: (args: LoaderFunctionArgs) => Promise<Response>,
  onRequest?: (res: express.Response) => void,
): Promise<RouteServer> {
  const app = express();
  app.get(path, async (req, res, next) => {
    onRequest?.(res);
    try {
      const response = await loader({
        request: createRemixRequest(req, res),
        params: req.params,
        context: loadContext(req, res),
      });
      await sendRemixResponse(res, response);
    } catch (error) {
      next(error);
    }
  });
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
