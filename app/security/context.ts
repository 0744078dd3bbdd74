// What the Express server hands every loader and action besides the request.
import "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** This request's Content-Security-Policy nonce. */
    cspNonce?: string;
    /** The client's address: the socket's, or X-Forwarded-For's last hop when TRUST_PROXY=1. */
    clientIp?: string;
  }
}

export {};
