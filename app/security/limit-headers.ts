// Remix puts a loader's or action's headers on data answers only; a page answer gets what the
// route's `headers` export returns. Routes with rate limits export this, so a refused page still
// says when to try again (Retry-After) and is never cached.
import type { HeadersFunction } from "@remix-run/node";

const PASSED = ["Retry-After", "Cache-Control"];

export const limitHeaders: HeadersFunction = ({ loaderHeaders, actionHeaders }) => {
  const headers = new Headers();
  for (const source of [loaderHeaders, actionHeaders]) {
    for (const name of PASSED) {
      const value = source.get(name);
      if (value) headers.set(name, value);
    }
  }
  return headers;
};
