// Stopping the web server: a connection that never sent a request does not hold the stop, and a
// request in progress still gets its whole answer.
import { createServer, request, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { closableServer } from "./http-close";

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

async function listen(handler: Parameters<typeof createServer>[1]) {
  server = createServer(handler);
  const close = closableServer(server);
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { server, close, port: (server.address() as AddressInfo).port };
}

describe("closing the web server", () => {
  it("does not wait for a connection that has sent no request (a browser's connection opened ahead)", async () => {
    const { server, close, port } = await listen((_req, res) => res.end("ok"));
    const ahead = connect(port, "127.0.0.1");
    await new Promise((resolve) => ahead.once("connect", resolve));
    const aheadClosed = new Promise((resolve) => ahead.once("close", resolve));
    await new Promise((resolve) => setImmediate(resolve));
    // server.close() alone would wait for it until the headers timeout (a minute or more).
    await close();
    await aheadClosed;
    expect(server.listening).toBe(false);
  });

  it("lets a request in progress finish with its whole answer", async () => {
    let answer!: () => void;
    let started!: () => void;
    const inProgress = new Promise<void>((resolve) => (started = resolve));
    const { close, port } = await listen((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("first half, ");
      answer = () => res.end("second half");
      started();
    });
    const body = new Promise<string>((resolve, reject) => {
      request({ port, host: "127.0.0.1", path: "/" }, (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () => resolve(text));
      })
        .on("error", reject)
        .end();
    });
    await inProgress;
    const closing = close();
    answer();
    expect(await body).toBe("first half, second half");
    await closing;
  });
});
