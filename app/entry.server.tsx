// Renders pages on the server. Differs from Remix's default in three ways: every <script> carries
// the request's CSP nonce (see ~/security/headers.server), errors are logged in one line without
// personal data or stack (see ~/security/errors.server), and pages are sent whole (see below).
import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { describeError, redactPersonalData } from "~/security/errors.server";
import { NonceProvider } from "~/security/nonce";
import "~/security/context";

const ABORT_DELAY = 5_000;

export const handleError: HandleErrorFunction = (error, { request }) => {
  // Aborted requests (the visitor left) are not errors, nor are refusals such as "no such page"
  // (Remix reports an unknown path here as a 404 error response).
  if (request.signal.aborted) return;
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === "number" && status < 500) return;
  console.error(
    `[web] ${request.method} ${redactPersonalData(new URL(request.url).pathname)} failed: ${describeError(error)}`,
  );
};

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce ?? "";
  // Every page is sent whole, once rendered. No loader defers data, so streaming sent nothing
  // sooner: it passed a page's seventeen pieces through three streams (React's, a web stream,
  // the response) and wrote each to the socket on its own (bench/README.md).
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    let allReady = false;
    let abortTimer: NodeJS.Timeout | undefined;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onShellReady() {
          shellRendered = true;
        },
        onAllReady() {
          // Nothing is left to abort: the timer would otherwise keep the whole render alive for
          // ABORT_DELAY after the page was sent, a thousand of them at 200 pages a second.
          allReady = true;
          clearTimeout(abortTimer);
          const chunks: Buffer[] = [];
          pipe(
            new Writable({
              write(chunk: Buffer, _encoding, done) {
                chunks.push(chunk);
                done();
              },
              final(done) {
                responseHeaders.set("Content-Type", "text/html");
                resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }));
                done();
              },
            }),
          );
        },
        onShellError(error: unknown) {
          clearTimeout(abortTimer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors before the shell reject and are logged by handleError.
          if (shellRendered) console.error(`[web] rendering failed: ${describeError(error)}`);
        },
      },
    );
    // A page still waiting on data after ABORT_DELAY is cut short (Remix then renders the error).
    if (!allReady) abortTimer = setTimeout(abort, ABORT_DELAY);
  });
}
