// The web process: Remix behind Express, and (WORKER=inline, the default) the delivery
// worker in the same process. `npm start` builds first; `--dev` serves through Vite.
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { db } from "../app/db/client.server";
import { startWorkerFromEnv } from "../app/delivery/worker.server";
import { createChannels } from "../app/delivery/channels/channels.server";
import { describeChannels, parseChannelsConfig } from "../app/delivery/channels/config.server";
import { env } from "../app/env.server";
import { mailTransport } from "../app/services.server";
import { prepareDatabase } from "../app/setup/prepare.server";
import { answerErrors } from "../app/security/errors.server";
import { installDefences, loadContext } from "../app/security/http.server";
import { startIpHashPurge } from "../app/security/retention.server";
import { startSqliteCheckpoints } from "../app/db/sqlite-checkpoints.server";
import { closableServer } from "./http-close";

const dev = process.argv.includes("--dev");

async function main() {
  let config;
  let channelsConfig;
  try {
    config = env();
    // The delivery channels' settings too: one switched on but incomplete stops the start here.
    channelsConfig = parseChannelsConfig();
    console.log(`Delivery channels: e-mail on, ${describeChannels(channelsConfig)}`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }

  await prepareDatabase(db(), config);
  // On SQLite, WAL checkpoints from a thread of their own, not in the commit of a request.
  const checkpoints = await startSqliteCheckpoints(db());

  const app = express();
  // Security headers, origin checks and body limits (see app/security/http.server.ts).
  installDefences(app, config, { dev });
  app.use(compression());

  let build: ServerBuild | (() => Promise<ServerBuild>);
  if (dev) {
    const vite = await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }));
    app.use(vite.middlewares);
    build = () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
  } else {
    // Fingerprinted assets can be cached for good; everything else briefly.
    app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
    app.use(express.static("build/client", { maxAge: "1h" }));
    // @ts-expect-error the build exists only after `npm run build`
    build = (await import("../build/server/index.js")) as ServerBuild;
  }
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: dev ? "development" : "production",
      getLoadContext: loadContext,
    }),
  );
  app.use(answerErrors());
  const purge = startIpHashPurge(db(), config.IP_RETENTION_DAYS);

  const worker =
    config.WORKER === "inline"
      ? startWorkerFromEnv({
          db: db(),
          env: config,
          transport: mailTransport(),
          channels: await createChannels(db(), channelsConfig),
        })
      : null;

  const server = app.listen(config.PORT, () => {
    console.log(`Sincerely is listening on http://localhost:${config.PORT}`);
    // The inline worker announces itself (and where mail goes) when it starts.
    if (!worker) console.log("Delivery worker off in this process (WORKER=off): run `npm run worker`");
  });

  const closeServer = closableServer(server);

  server.on("error", (error: NodeJS.ErrnoException) => {
    console.error(
      error.code === "EADDRINUSE"
        ? `Port ${config.PORT} is already in use: stop what runs there, or set PORT to another port.`
        : `The web server could not start: ${error.message}`,
    );
    process.exit(1);
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing the letters in hand, then stopping`);
    // Stop taking requests and let those in progress finish, while the worker finishes its letter.
    const closed = closeServer();
    purge.stop();
    await Promise.all([closed, worker?.stop()]);
    await mailTransport().close();
    await checkpoints.stop();
    await db().$disconnect();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
