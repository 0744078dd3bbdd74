// A slow download of the signatures CSV over real HTTP, through Remix's Express adapter and the
// server's own load context: the adapter writes a body as fast as it is read and ignores
// back-pressure, so without the context's pacing the export would read the whole campaign into
// the response's buffer while the client is still at the first megabytes.
import type { Response as ExpressResponse } from "express";
import { once } from "node:events";
import { get as httpGet, type IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCampaign } from "../../test/seed";
import type { Campaign } from "~/generated/prisma/client";
import { startSession } from "~/organizers/session.server";
import * as signaturesCsv from "~/routes/admin.exports.signatures[.csv]";
import { createTestDb, type TestDb } from "../../test/db";
import { serveLoader, type RouteServer } from "../../test/route-server";

// About 5.5 MB of CSV: more than the loopback socket's buffers hold on both ends.
const ROWS = 30_000;

let t: TestDb;
let cookie: string;
let campaign: Campaign;
let server: RouteServer | undefined;
/** The server's side of the download: what it holds for the client and has not sent yet. */
let serverSide: ExpressResponse | undefined;
const bufferedForClient = () => (serverSide?.writableLength ?? 0) + (serverSide?.socket?.writableLength ?? 0);

beforeAll(async () => {
  t = await createTestDb();
  // The route module uses the process's shared client; point it at the test database.
  (globalThis as { __sincerelyDb?: unknown }).__sincerelyDb = t.db;
  const organizer = await t.db.organizer.create({
    data: { email: "organizer@coalition.example", role: "organizer", passwordHash: "unused" },
  });
  cookie = (await startSession(organizer, "/admin")).headers.get("Set-Cookie")!.split(";")[0];
  campaign = await seedCampaign(t.db);
  const at = Date.UTC(2026, 5, 1);
  for (let start = 0; start < ROWS; start += 5_000) {
    await t.db.signature.createMany({
      data: Array.from({ length: 5_000 }, (_, j) => {
        const i = start + j;
        return {
          campaignId: campaign.id,
          firstName: `Supporter ${i}`,
          lastName: "Slow-Reader",
          email: `s${i}@supporters.example`,
          street: `${i} Main Street, Apartment ${i % 97}`,
          city: "Seattle",
          state: "WA",
          zip: "98103",
          points: '["ban","accede"]',
          message: "I have seen what these weapons leave behind, long after the fighting stops. Please act.",
          status: "confirmed",
          createdAt: new Date(at + i * 1000),
        };
      }),
    });
  }

  server = await serveLoader("/admin/exports/signatures.csv", signaturesCsv.loader, (res) => (serverSide = res));
}, 120_000);

afterAll(async () => {
  await server?.close();
  delete (globalThis as { __sincerelyDb?: unknown }).__sincerelyDb;
  await t.cleanup();
});

const exportAudit = () => t.db.auditEvent.findFirstOrThrow({ where: { action: "export.signatures" } });

describe("a slow download of the signatures CSV", () => {
  it("reads the campaign only as fast as the client takes it, then delivers every row", async () => {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      httpGet(
        `${server!.base}/admin/exports/signatures.csv?campaign=${campaign.slug}`,
        { headers: { Cookie: cookie } },
        resolve,
      ).on("error", reject);
    });
    expect(response.statusCode).toBe(200);
    // The client takes the first bytes, then stops reading for a while.
    const chunks: Buffer[] = [];
    response.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      if (chunks.length === 1) response.pause();
    });
    // Wait while the client reads nothing: until the server holds more than 2 MB for it (what an
    // export that ignores the client does within moments), or for eight seconds.
    const until = Date.now() + 8000;
    while (bufferedForClient() < 2 * 1024 * 1024 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(response.isPaused()).toBe(true);
    // A page of rows, not the campaign: the export waits for the client.
    expect(bufferedForClient()).toBeLessThan(1024 * 1024);
    expect((await exportAudit()).rows).toBeNull();

    response.resume();
    await once(response, "end");
    const lines = Buffer.concat(chunks)
      .toString("utf8")
      .split("\r\n")
      .filter((l) => l !== "");
    expect(lines).toHaveLength(ROWS + 1);
    await expect.poll(async () => (await exportAudit()).rows, { timeout: 10_000 }).toBe(ROWS);
  }, 120_000);
});
