// What the Express server hands every loader and action besides the request.
import "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** This request's Content-Security-Policy nonce. */
    cspNonce?: string;
    /** The client's address: the socket's, or X-Forwarded-For's last hop when TRUST_PROXY=1. */
    clientIp?: string;
    /**
     * Resolves once the response's bytes to the client are below its buffer's high-water mark.
     * Remix's Express adapter writes a body as fast as it is read, ignoring back-pressure, so a
     * streamed export waits here between pages: a slow download holds a page, not the file.
     */
    clientCaughtUp?: () => Promise<void>;
  }
}

export {};
