// Stopping the web server without waiting on connections that carry no request. Node's
// server.close() lets requests in progress finish and closes idle keep-alive connections, but a
// connection that has not sent a request yet (a browser opens one ahead of a navigation it may
// never make) counts as busy: close() then waits until the headers timeout drops it, a minute or
// more, and a SIGTERM stopped the process that late (the inline-worker browser test caught it).
import type { Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/**
 * Follows the server's connections from now on, and returns how to close it: as server.close()
 * does, and also the connections that have no request in progress. Resolves once every
 * connection is gone (at once if the server was not listening: there is nothing to stop).
 */
export function closableServer(server: Server): () => Promise<void> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  return () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) {
      // Node's own closeIdleConnections() tells a busy connection the same way: the response it
      // is writing. A request in progress keeps its connection until its response is sent, and
      // no longer (kept alive, it would hold close() until the keep-alive timeout).
      const response = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
      if (!response) socket.destroy();
      else response.once("finish", () => socket.end());
    }
    return closed;
  };
}
