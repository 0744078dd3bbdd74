// Where a CPU profile's time went, by part of the stack: Prisma (its query compiler is
// WebAssembly), the database driver, React's rendering, nodemailer, Remix, our own code.
// `npm run bench -- --profile` writes the sign server's profile and prints this summary;
// `tsx bench/lib/profile-summary.ts FILE.cpuprofile` reads any profile `node --cpu-prof` wrote.
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The part of the stack a frame belongs to. */
function partOf({ url, functionName }: ProfileNode["callFrame"]): string {
  if (!url) {
    if (functionName === "(idle)") return "idle";
    if (functionName === "(garbage collector)") return "garbage collection";
    return "native code";
  }
  if (url.startsWith("wasm://") || /@prisma|generated\/prisma/.test(url)) return "Prisma (query compiler, client)";
  if (/adapter-better-sqlite3|better-sqlite3|node_modules\/pg/.test(url)) return "database driver";
  if (/react-dom|node_modules\/react\//.test(url)) return "React rendering";
  if (/@react-email|html-to-text|htmlparser2|selderee|prismjs/.test(url)) return "React Email";
  if (/nodemailer|smtp-/.test(url)) return "nodemailer";
  if (/@remix-run|turbo-stream/.test(url)) return "Remix";
  if (/node_modules\/(express|body-parser|helmet|cookie|compression)/.test(url)) return "Express";
  if (/node_modules\/zod/.test(url)) return "zod";
  if (/node_modules\/rate-limiter-flexible/.test(url)) return "rate-limiter-flexible";
  if (url.startsWith("node:")) return "Node.js";
  if (url.includes("node_modules")) return `other: ${url.split("node_modules/").pop()!.split("/")[0]}`;
  return "our code";
}

export function summariseProfile(file: string): Array<{ part: string; share: number }> {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byPart = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const t = profile.timeDeltas[i] ?? 0;
    const part = partOf(nodes.get(id)!.callFrame);
    if (part === "idle") return;
    total += t;
    byPart.set(part, (byPart.get(part) ?? 0) + t);
  });
  const parts = [...byPart].map(([part, t]) => ({ part, t })).sort((a, b) => b.t - a.t);
  // The dozen largest, and the long tail of small libraries as one line.
  const top = parts.slice(0, 12);
  const rest = parts.slice(12).reduce((sum, p) => sum + p.t, 0);
  if (rest > 0) top.push({ part: `${parts.length - 12} other parts`, t: rest });
  return top.map(({ part, t }) => ({ part, share: Math.round((1000 * t) / total) / 10 }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const { part, share } of summariseProfile(process.argv[2]!))
    console.log(`${share.toFixed(1).padStart(5)} %  ${part}`);
}
