// The defences in front of Remix, on a real Express server over real HTTP: the same
// installDefences and error handler the web process uses, in front of routes that stand in
// for Remix (one echoes what it was given, one fails the way a database error would).
import express from "express";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { answerErrors } from "./errors.server";
import { installDefences, loadContext } from "./http.server";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

type Config = Parameters<typeof installDefences>[1];
const base: Config = { NODE_ENV: "production", APP_URL: undefined, TRUST_PROXY: undefined, BODY_LIMIT_KB: 64 };

async function start(config: Partial<Config> = {}): Promise<string> {
  const app = express();
  installDefences(app, { ...base, ...config });
  app.all("/echo", (req, res) => res.json(loadContext(req, res)));
  app.all("/admin/echo", (req, res) => res.json(loadContext(req, res)));
  app.get("/page", (_req, res) => res.type("html").send("<p>page</p>"));
  app.post("/fails", () => {
    const error = new Error(
      'Invalid `prisma.signature.create()` invocation:\n  email: "ada@example.org"\nUnique constraint failed',
    );
    Object.assign(error, { code: "P2002" });
    throw error;
  });
  app.use(answerErrors());
  const server = app.listen(0, "127.0.0.1");
  servers.push(server);
  await new Promise((r) => server.once("listening", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const form = (body: string, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
  body,
});

describe("origin checks", () => {
  it("accepts a post from this site, by Origin or (without one) by Referer, and from non-browsers", async () => {
    const url = await start();
    expect((await fetch(`${url}/echo`, form("a=1", { Origin: url }))).status).toBe(200);
    expect((await fetch(`${url}/echo`, form("a=1", { Referer: `${url}/c/x` }))).status).toBe(200);
    expect((await fetch(`${url}/echo`, form("a=1"))).status).toBe(200);
  });

  it("refuses a post from another site with a plain 403", async () => {
    const url = await start();
    for (const headers of <Record<string, string>[]>[
      { Origin: "https://evil.example" },
      { Origin: "null" },
      { Referer: "https://evil.example/page" },
      { Origin: url.replace("127.0.0.1", "localhost") },
    ]) {
      const res = await fetch(`${url}/echo`, form("a=1", headers));
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.text()).toMatch(/sent from another website/);
    }
  });

  it("accepts APP_URL's origin (a proxy may forward another Host)", async () => {
    const url = await start({ APP_URL: "https://letters.example.org" });
    expect((await fetch(`${url}/echo`, form("a=1", { Origin: "https://letters.example.org" }))).status).toBe(200);
  });

  it("never checks reads", async () => {
    const url = await start();
    expect((await fetch(`${url}/page`, { headers: { Origin: "https://evil.example" } })).status).toBe(200);
  });
});

describe("bodies are refused before they are read", () => {
  it("refuses a body over the limit with 413", async () => {
    const url = await start({ BODY_LIMIT_KB: 1 });
    const res = await fetch(`${url}/echo`, form(`a=${"x".repeat(2000)}`));
    expect(res.status).toBe(413);
    expect(await res.text()).toMatch(/too large \(more than 1 KB\)/);
    expect((await fetch(`${url}/echo`, form(`a=${"x".repeat(900)}`))).status).toBe(200);
  });

  it("lets the organizers' area send larger forms, up to its own limit", async () => {
    const url = await start({ BODY_LIMIT_KB: 1, ADMIN_BODY_LIMIT_KB: 4 });
    expect((await fetch(`${url}/admin/echo`, form(`a=${"x".repeat(3000)}`))).status).toBe(200);
    expect((await fetch(`${url}/echo`, form(`a=${"x".repeat(3000)}`))).status).toBe(413);
    const res = await fetch(`${url}/admin/echo`, form(`a=${"x".repeat(5000)}`));
    expect(res.status).toBe(413);
    expect(await res.text()).toMatch(/more than 4 KB/);
  });

  it("refuses content types no form sends with 415, naming the type", async () => {
    const url = await start();
    for (const type of ["application/json", "text/plain", "application/xml"]) {
      const res = await fetch(`${url}/echo`, { method: "POST", headers: { "Content-Type": type }, body: "{}" });
      expect(res.status, type).toBe(415);
      expect(await res.text()).toContain(type);
    }
    const multipart = new FormData();
    multipart.set("a", "1");
    expect((await fetch(`${url}/echo`, { method: "POST", body: multipart })).status).toBe(200);
  });

  it("refuses a body of unknown length with 411", async () => {
    const url = await start();
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode("a=1"));
        c.close();
      },
    });
    const res = await fetch(`${url}/echo`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(411);
  });
});

describe("security headers", () => {
  it("sends a CSP whose scripts need this request's nonce, and no framing, sniffing or referrer leaks", async () => {
    const url = await start();
    const [a, b] = await Promise.all([fetch(`${url}/page`), fetch(`${url}/page`)]);
    const csp = a.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(b.headers.get("content-security-policy")).not.toContain(nonce);
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'(;|$)/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(a.headers.get("x-frame-options")).toBe("DENY");
    expect(a.headers.get("x-content-type-options")).toBe("nosniff");
    expect(a.headers.get("referrer-policy")).toBe("same-origin");
    expect(a.headers.get("x-powered-by")).toBeNull();
    expect(a.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
  });

  it("sends HSTS only in production", async () => {
    const url = await start({ NODE_ENV: "development" });
    expect((await fetch(`${url}/page`)).headers.get("strict-transport-security")).toBeNull();
  });
});

describe("client address", () => {
  it("ignores X-Forwarded-For unless TRUST_PROXY=1", async () => {
    const direct = await start();
    const seen = await (await fetch(`${direct}/echo`, { headers: { "X-Forwarded-For": "203.0.113.9" } })).json();
    expect(seen.clientIp).toBe("127.0.0.1");
  });

  it("behind a proxy, takes the address the proxy saw, not one the client wrote", async () => {
    const proxied = await start({ TRUST_PROXY: "1" });
    const seen = await (
      await fetch(`${proxied}/echo`, { headers: { "X-Forwarded-For": "198.51.100.1, 203.0.113.9" } })
    ).json();
    expect(seen.clientIp).toBe("203.0.113.9");
  });
});

describe("errors", () => {
  it("answer a plain 500 without stack, Prisma message or personal data, and log none of it", async () => {
    const url = await start();
    const logged: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => logged.push(args.join(" "));
    try {
      const res = await fetch(`${url}/fails`, form("a=1"));
      expect(res.status).toBe(500);
      const body = await res.text();
      expect(body).toMatch(/Something went wrong on our side/);
      expect(body).not.toMatch(/prisma|P2002|at |ada@example\.org|Error/i);
    } finally {
      console.error = original;
    }
    expect(logged.join("\n")).toContain("P2002");
    expect(logged.join("\n")).not.toContain("ada@example.org");
  });
});
