// The command-line export is audited like the organizers' one: run as `npm run export:signatures`
// runs it (Node with a 128 MB heap and tsx), it logs who ran it (the operating-system user: there is
// no organizer at the command line), the filter, where the file went and the rows, and when its
// reader goes away half-way (`… | head`), the rows it got to.
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { hostname, tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCampaign } from "../test/seed";
import type { Campaign } from "~/generated/prisma/client";
import { createTestDb, type TestDb } from "../test/db";

const NODE_ARGS = ["--max-old-space-size=128", "--import", "tsx", "scripts/export-signatures.ts"];
const LARGE = 20_000;

let t: TestDb;
let dir: string;
let small: Campaign;
let large: Campaign;
beforeAll(async () => {
  t = await createTestDb();
  dir = mkdtempSync(join(tmpdir(), "sincerely-export-"));
  small = await seedCampaign(t.db);
  large = await seedCampaign(t.db);
  const signer = (campaignId: string, i: number, state: string, status: string) => ({
    campaignId,
    firstName: `Supporter ${i}`,
    lastName: "Tester",
    email: `s${i}.${campaignId}@supporters.example`,
    street: `${i} Main Street`,
    city: "Seattle",
    state,
    zip: "98103",
    points: "[]",
    status,
  });
  await t.db.signature.createMany({
    data: [
      signer(small.id, 1, "WA", "confirmed"),
      signer(small.id, 2, "WA", "confirmed"),
      signer(small.id, 3, "WA", "confirmed"),
      signer(small.id, 4, "OR", "confirmed"),
      signer(small.id, 5, "WA", "pending"),
    ],
  });
  // The many in one statement (through Prisma's createMany they take tens of seconds).
  await t.db.$executeRaw`
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${LARGE - 1})
    INSERT INTO "Signature" ("id", "campaignId", "firstName", "lastName", "email", "street", "city", "state",
                             "zip", "points", "consentToContact", "status", "createdAt", "emailsSent", "moderation")
    SELECT 'large' || i, ${large.id}, 'Supporter ' || i, 'Tester', 's' || i || '@supporters.example',
           i || ' Main Street', 'Seattle', 'WA', '98103', '[]', 0, 'confirmed',
           strftime('%Y-%m-%dT%H:%M:%S.000+00:00', 1780272000 + i, 'unixepoch'), 0, 'none'
      FROM n`;
});

afterAll(async () => {
  await t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ ...process.env, DATABASE_URL: t.url });

/** Who the log should name: the account running this test, which also runs the command. */
function expectedActor(): string {
  const sudo = process.env.SUDO_USER ? ` via sudo from ${process.env.SUDO_USER}` : "";
  return `command line: ${userInfo().username}${sudo} on ${hostname()}`;
}

async function exportEvents(slug: string) {
  const events = await t.db.auditEvent.findMany({ where: { action: "export.signatures" } });
  return events.filter((e) => (JSON.parse(e.detail) as { campaign: string }).campaign === slug);
}

describe("the command-line export in the audit log", () => {
  it("records who ran it, the filter, the file and the rows written", async () => {
    const out = join(dir, "wa.csv");
    const { stderr } = await promisify(execFile)(
      process.execPath,
      [...NODE_ARGS, small.slug, "--status", "confirmed", "--state", "WA", "--out", out],
      { env: env() },
    );
    const summary = JSON.parse(stderr.trim().split("\n").pop()!) as { rows: number };
    const lines = readFileSync(out, "utf8")
      .split("\r\n")
      .filter((l) => l !== "");
    expect(summary.rows).toBe(3);
    expect(lines).toHaveLength(1 + 3);

    const [event] = await exportEvents(small.slug);
    expect(event).toMatchObject({ organizerId: null, actorEmail: expectedActor(), rows: 3 });
    expect(JSON.parse(event.detail)).toEqual({
      campaign: small.slug,
      status: "confirmed",
      state: "WA",
      output: out,
    });
  });

  it("keeps the rows it got to when its reader goes away half-way", { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, [...NODE_ARGS, large.slug], {
      env: env(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const exited = once(child, "exit");
    // Like `| head -n 5000`: read a few thousand lines, then close the pipe.
    let lines = 0;
    for await (const chunk of child.stdout) {
      lines += (chunk as Buffer).toString("latin1").split("\r\n").length - 1;
      if (lines >= 5_000) break; // ends the loop and destroys our end of the pipe
    }
    const [code] = (await exited) as [number];
    expect(code, stderr).toBe(1);
    expect(stderr).toMatch(/EPIPE/);

    const [event] = await exportEvents(large.slug);
    expect(event).toMatchObject({ organizerId: null, actorEmail: expectedActor() });
    expect(JSON.parse(event.detail)).toMatchObject({ output: "standard output" });
    // Counted as pages are read: something, not nothing, and not the rows nobody received.
    expect(event.rows).toBeGreaterThan(0);
    expect(event.rows).toBeLessThan(LARGE);
  });
});
