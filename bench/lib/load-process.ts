// The load generator, in its own process so that it does not share a CPU budget with the server's
// event loop more than the machine forces. Runs autocannon against one route and prints its result
// as one JSON line.
//
//   tsx bench/lib/load-process.ts '{"url": "...", "route": "sign"|"sign-js"|"ping", "seconds": 10, "connections": 16,
//                                  "rate": 200?, "slug": "...", "runId": "..."}'
import autocannon from "autocannon";
import { singleDistrictZips } from "./zips";

interface LoadOptions {
  url: string;
  /** sign: the form as a browser without JavaScript posts it; sign-js: as the page's script does (Remix's `.data` request). */
  route: "sign" | "sign-js" | "ping";
  seconds: number;
  connections: number;
  /** Fixed offered load in requests per second across all connections; omitted = as fast as possible. */
  rate?: number;
  slug: string;
  /** Makes every supporter's e-mail unique across runs on one database. */
  runId: string;
}

const options = JSON.parse(process.argv[2] ?? "{}") as LoadOptions;
const zips = singleDistrictZips(500);
let n = 0;

/** A valid, distinct supporter, as the browser posts the form (the page's script posts the same fields). */
function signBody(): string {
  const i = n++;
  const { zip, state } = zips[i % zips.length];
  const form = new URLSearchParams({
    firstName: "Bench",
    lastName: `Supporter ${i}`,
    email: `bench.${options.runId}.${i}@supporters.example`,
    street: `${100 + (i % 900)} Main Street`,
    city: "Springfield",
    state,
    zip,
    message: i % 3 === 0 ? "I have seen what these weapons leave behind. Please act." : "",
  });
  form.append("points", "ban");
  form.append("points", "accede");
  return form.toString();
}

const origin = new URL(options.url).origin;
const path = { sign: `/c/${options.slug}`, "sign-js": `/c/${options.slug}.data`, ping: "/api/ping" }[options.route];

const result = await autocannon({
  url: `${options.url}${path}`,
  connections: options.connections,
  duration: options.seconds,
  overallRate: options.rate,
  requests: [
    {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin, referer: `${origin}${path}` },
      setupRequest: (req) => ({ ...req, body: options.route === "ping" ? "ping=1" : signBody() }),
    },
  ],
});

process.stdout.write(
  JSON.stringify({
    rps: result.requests.average,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
  }) + "\n",
);
