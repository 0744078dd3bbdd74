// Every export the organizers' area serves is in the audit log, with who, what and how many rows,
// through the route modules themselves with a real session on a real SQLite file. A download cut
// off half-way keeps the rows it got to, also behind Remix's Express adapter, as the server runs.
import { get as httpGet } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCampaign, seedManyLetters, seedOffice } from "../../test/seed";
import type { Campaign, Office, Organizer } from "~/generated/prisma/client";
import { startSession } from "~/organizers/session.server";
import * as areasCsv from "~/routes/admin.campaigns.$slug.areas[.csv]";
import * as packetPage from "~/routes/admin.campaigns.$slug.packet.$officeKey._index";
import * as packetPdf from "~/routes/admin.campaigns.$slug.packet.$officeKey.pdf";
import * as signaturesCsv from "~/routes/admin.exports.signatures[.csv]";
import { createTestDb, type TestDb } from "../../test/db";
import { serveLoader, type RouteServer } from "../../test/route-server";

const LETTERS = 450;
const LARGE = 5_000;

let t: TestDb;
let organizer: Organizer;
let cookie: string;
let campaign: Campaign;
let office: Office;
let large: Campaign;
let largeOffice: Office;
beforeAll(async () => {
  t = await createTestDb();
  // The route modules use the process's shared client; point it at the test database.
  (globalThis as { __sincerelyDb?: unknown }).__sincerelyDb = t.db;
  organizer = await t.db.organizer.create({
    data: { email: "organizer@coalition.example", role: "organizer", passwordHash: "unused" },
  });
  cookie = (await startSession(organizer, "/admin")).headers.get("Set-Cookie")!.split(";")[0];

  campaign = await seedCampaign(t.db);
  office = await seedOffice(t.db);
  await seedManyLetters(t.db, campaign, office, LETTERS);
  // Two signers elsewhere, so the district counts have more than one area.
  for (const [i, state] of ["OR", "OR"].entries()) {
    await t.db.signature.create({
      data: {
        campaignId: campaign.id,
        firstName: "Elsewhere",
        lastName: `Number ${i}`,
        email: `elsewhere${i}@supporters.example`,
        street: "1 Main Street",
        city: "Portland",
        state,
        zip: "97201",
        district: 1,
        points: "[]",
        status: "confirmed",
      },
    });
  }
  large = await seedCampaign(t.db);
  largeOffice = await seedOffice(t.db);
  await seedManyLetters(t.db, large, largeOffice, LARGE);
});
afterAll(async () => {
  delete (globalThis as { __sincerelyDb?: unknown }).__sincerelyDb;
  await t.cleanup();
});

const get = (path: string) => new Request(`http://localhost${path}`, { headers: { Cookie: cookie } });
const args = (path: string, params: Record<string, string> = {}) => ({ request: get(path), params, context: {} });

async function lastAudit(action: string) {
  return t.db.auditEvent.findFirstOrThrow({ where: { action }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
}

/** A streamed export counts its rows after the last byte: wait until the count is in. */
async function countedAudit(action: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const event = await lastAudit(action);
    if (event.rows !== null) return event;
    if (Date.now() > deadline) throw new Error(`${action} was never counted`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Reads a response until `enough` says so, then hangs up the way a browser that goes away does. */
async function readThenHangUp(response: Response, enough: (text: string) => boolean): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!enough(text)) {
    const { done, value } = await reader.read();
    if (done) throw new Error("the export ended before the reader hung up");
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text;
}

describe("the audit log of exports", () => {
  it("records the signature CSV with its filter and the rows it holds", async () => {
    const response = await signaturesCsv.loader(
      args(`/admin/exports/signatures.csv?campaign=${campaign.slug}&status=confirmed&state=WA`),
    );
    const lines = (await response.text()).split("\r\n").filter((l) => l !== "");
    expect(lines).toHaveLength(1 + LETTERS); // the header, then one line per signer in Washington

    const event = await countedAudit("export.signatures");
    expect(event.rows).toBe(LETTERS);
    expect(event).toMatchObject({ organizerId: organizer.id, actorEmail: organizer.email });
    expect(JSON.parse(event.detail)).toMatchObject({ campaign: campaign.slug, status: "confirmed", state: "WA" });
  });

  it("keeps the rows a signature CSV download got to when it is cut off", async () => {
    const response = await signaturesCsv.loader(args(`/admin/exports/signatures.csv?campaign=${large.slug}`));
    const received = await readThenHangUp(response, (text) => text.split("\r\n").length > 2_500);
    const event = await countedAudit("export.signatures");
    expect(JSON.parse(event.detail)).toMatchObject({ campaign: large.slug });
    // Counted as pages are read: something, not nothing, and not the rows never sent.
    expect(event.rows).toBeGreaterThan(0);
    expect(event.rows).toBeLessThan(LARGE);
    expect(received.length).toBeGreaterThan(0);
  });

  it("records the printable packet with the letters on the page", async () => {
    const page = await packetPage.loader(
      args(`/admin/campaigns/${campaign.slug}/packet/${office.key}`, { slug: campaign.slug, officeKey: office.key }),
    );
    const event = await lastAudit("export.packet");
    expect(event.rows).toBe(page.letters.length);
    expect(page.letters.length).toBeGreaterThan(0);
    expect(event).toMatchObject({ organizerId: organizer.id, actorEmail: organizer.email });
    expect(JSON.parse(event.detail)).toEqual({ campaign: campaign.slug, office: office.key, format: "html" });
  });

  it("records the packet PDF with every letter in it", async () => {
    const response = await packetPdf.loader(
      args(`/admin/campaigns/${campaign.slug}/packet/${office.key}/pdf`, {
        slug: campaign.slug,
        officeKey: office.key,
      }),
    );
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const event = await countedAudit("export.packet.pdf");
    expect(event.rows).toBe(LETTERS);
    expect(event).toMatchObject({ organizerId: organizer.id, actorEmail: organizer.email });
    expect(JSON.parse(event.detail)).toEqual({ campaign: campaign.slug, office: office.key, format: "pdf" });
  });

  it("keeps the letters a packet PDF download got to when it is cut off", async () => {
    const response = await packetPdf.loader(
      args(`/admin/campaigns/${large.slug}/packet/${largeOffice.key}/pdf`, {
        slug: large.slug,
        officeKey: largeOffice.key,
      }),
    );
    await readThenHangUp(response, (text) => text.length > 0);
    const event = await countedAudit("export.packet.pdf");
    expect(JSON.parse(event.detail)).toMatchObject({ campaign: large.slug, office: largeOffice.key });
    // Composed a page of letters at a time as the reader takes them: some, and far from all.
    expect(event.rows).toBeGreaterThan(0);
    expect(event.rows).toBeLessThan(LARGE);
  });

  it("records the district counts with the areas in the file", async () => {
    const response = await areasCsv.loader(
      args(`/admin/campaigns/${campaign.slug}/areas.csv`, { slug: campaign.slug }),
    );
    const lines = (await response.text()).split("\r\n").filter((l) => l !== "");
    const event = await lastAudit("export.areas");
    expect(lines.length - 1).toBe(2); // Washington (no district given) and OR-1
    expect(event.rows).toBe(lines.length - 1);
    expect(event).toMatchObject({ organizerId: organizer.id, actorEmail: organizer.email });
    expect(JSON.parse(event.detail)).toEqual({ campaign: campaign.slug });
  });
});

describe("a download cut off behind Remix's Express adapter", () => {
  // The adapter's own request and response handling around the route module, over real HTTP:
  // when the browser goes, the adapter keeps reading the body; only the request's signal says so.
  let server: RouteServer;
  let base: string;
  beforeAll(async () => {
    server = await serveLoader("/admin/campaigns/:slug/packet/:officeKey/pdf", packetPdf.loader);
    base = server.base;
  });
  afterAll(() => server.close());

  /** Downloads until the first bytes come, then closes the connection. */
  function downloadThenHangUp(path: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const request = httpGet(`${base}${path}`, { headers: { Cookie: cookie } }, (response) => {
        if (response.statusCode !== 200) reject(new Error(`status ${response.statusCode}`));
        response.once("data", () => {
          request.destroy();
          resolve();
        });
        response.on("end", () => reject(new Error("the download ended before the client hung up")));
      });
      request.on("error", () => undefined); // the hang-up itself
    });
  }

  it("keeps the letters the packet PDF got to, not the whole packet", async () => {
    await downloadThenHangUp(`/admin/campaigns/${large.slug}/packet/${largeOffice.key}/pdf`);
    const event = await countedAudit("export.packet.pdf");
    expect(JSON.parse(event.detail)).toMatchObject({ campaign: large.slug, office: largeOffice.key });
    expect(event.rows).toBeGreaterThan(0);
    expect(event.rows).toBeLessThan(LARGE);
  });
});
