// The hand-delivery packet for one office: the letters of the campaign's counted signatures to
// that office, and the list of its constituent signers. Printed from the page, or as a PDF
// streamed a page of letters at a time.
import { once } from "node:events";
import { existsSync } from "node:fs";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import PDFDocument from "pdfkit";
import type { Db } from "~/db/client.server";
import type { Prisma } from "~/generated/prisma/client";
import { afterRow, SIGNING_ORDER } from "./signatures-csv.server";
import { officeHolder, officeName } from "~/offices/office-label";

/** The HTML page shows this many letters at most; the PDF holds them all. */
export const PACKET_PAGE_LETTERS = 300;
export const PACKET_PAGE_SIGNERS = 5000;

export async function findPacket(db: Db, slug: string, officeKey: string) {
  const [campaign, office] = await Promise.all([
    db.campaign.findUnique({ where: { slug }, select: { id: true, slug: true, title: true } }),
    db.office.findUnique({ where: { key: officeKey } }),
  ]);
  if (!campaign || !office) return null;
  // Only signatures that count: confirmed, not rejected, not erased.
  const counted = { campaignId: campaign.id, status: "confirmed", moderation: { not: "rejected" }, erasedAt: null };
  const where: Prisma.LetterWhereInput = { officeId: office.id, signature: counted };
  const signerWhere: Prisma.SignatureWhereInput = { ...counted, letters: { some: { officeId: office.id } } };
  const count = await db.letter.count({ where });
  return {
    campaign,
    office: {
      id: office.id,
      key: office.key,
      holder: officeHolder(office),
      name: officeName(office),
      postalAddress: office.postalAddress,
      state: office.state,
      district: office.district,
    },
    where,
    signerWhere,
    count,
  };
}

export type Packet = NonNullable<Awaited<ReturnType<typeof findPacket>>>;

/**
 * The office's letters, in signing order, a page at a time. The walk goes over the campaign's
 * counted signatures (keyset on the (campaignId, createdAt) index) and takes each one's letter
 * to this office through the (signatureId, officeId) key: no page sorts all of an office's
 * letters, even the White House's.
 */
export async function* packetLetters(db: Db, packet: Packet, pageSize = 200, limit = Infinity) {
  let last: { createdAt: Date; id: string } | undefined;
  let seen = 0;
  while (seen < limit) {
    const page = await db.signature.findMany({
      where: last ? { AND: [packet.signerWhere, afterRow(last)] } : packet.signerWhere,
      orderBy: SIGNING_ORDER,
      take: Math.min(pageSize, limit - seen),
      select: {
        id: true,
        createdAt: true,
        firstName: true,
        lastName: true,
        city: true,
        state: true,
        zip: true,
        letters: { where: { officeId: packet.office.id }, select: { id: true, subject: true, bodyText: true } },
      },
    });
    if (page.length === 0) return;
    seen += page.length;
    yield page.flatMap(({ letters, ...signature }) => letters.map((letter) => ({ ...letter, signature })));
    last = page[page.length - 1];
  }
}

/** The first letters and signers, for the printable page. */
export async function packetPage(db: Db, packet: Packet) {
  const letters = [];
  for await (const page of packetLetters(db, packet, 200, PACKET_PAGE_LETTERS)) letters.push(...page);
  const signers = await db.signature.findMany({
    where: packet.signerWhere,
    orderBy: [{ lastName: "asc" }, { firstName: "asc" }],
    take: PACKET_PAGE_SIGNERS,
    select: { id: true, firstName: true, lastName: true, city: true, state: true, zip: true },
  });
  return {
    letters: letters.map((l) => ({ id: l.id, subject: l.subject, text: l.bodyText })),
    signers,
  };
}

// PDF's built-in Helvetica covers Western European letters only. Where the system has DejaVu
// (Debian's fonts-dejavu-core), names in the rest of the Latin, Greek and Cyrillic alphabets
// print as typed too.
const UNICODE_FONTS = {
  regular: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
  bold: "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
};
function pdfFonts(): { regular: string; bold: string } {
  return existsSync(UNICODE_FONTS.regular) && existsSync(UNICODE_FONTS.bold)
    ? UNICODE_FONTS
    : { regular: "Helvetica", bold: "Helvetica-Bold" };
}

/**
 * The PDF: a cover page with the signers' count, one letter per page, then the signers' list.
 * Resolves with the number of letters written; `onLetters` hears the count as it goes (what an
 * interrupted download got to). Rejects as soon as `out` fails or is closed before the end.
 */
export async function writePacketPdf(
  db: Db,
  packet: Packet,
  out: Writable,
  options: {
    onLetters?: (letters: number) => void;
    /** Waited for before each next page: the HTTP client catching up (see AppLoadContext). */
    pace?: () => Promise<void>;
  } = {},
): Promise<number> {
  const doc = new PDFDocument({
    size: "LETTER",
    margin: 72,
    info: { Title: `${packet.campaign.title}: letters to ${packet.office.holder}`, Author: "Sincerely" },
  });
  const font = pdfFonts();
  doc.pipe(out);
  // Settles when the reader has had everything; rejects when `out` errs or is destroyed first (a
  // download cut off), so that composing stops instead of waiting for a "drain" that never comes.
  const done = finished(out, { readable: false });
  done.catch(() => undefined); // awaited below; a rejection meanwhile is not unhandled
  doc.font(font.bold).fontSize(18).text(packet.campaign.title);
  doc.moveDown().font(font.regular).fontSize(13).text(`Letters from constituents to ${packet.office.name}`);
  if (packet.office.postalAddress) doc.moveDown().fontSize(11).text(packet.office.postalAddress);
  doc
    .moveDown()
    .fontSize(11)
    .text(`${packet.count} letter${packet.count === 1 ? "" : "s"}, one per page, followed by the list of signers.`);
  doc.text(`Prepared ${new Date().toISOString().slice(0, 10)}.`);

  const signers: string[] = [];
  let letters = 0;
  for await (const page of packetLetters(db, packet)) {
    for (const letter of page) {
      doc.addPage();
      doc.font(font.regular).fontSize(11).text(letter.bodyText, { lineGap: 2 });
      const s = letter.signature;
      signers.push(`${s.lastName}, ${s.firstName} — ${s.city}, ${s.state} ${s.zip}`);
      letters++;
    }
    options.onLetters?.(letters);
    // Let the pages just composed flow to `out` first: the SQLite driver answers without leaving
    // the microtask queue, and streams move on the next tick, so without this the reader never
    // looked behind and the whole packet piled up in memory.
    await new Promise((resolve) => setImmediate(resolve));
    if (out.destroyed) await done; // rejects: nobody is reading any more
    // Let the reader catch up before composing more pages.
    if (out.writableNeedDrain) await Promise.race([once(out, "drain"), done]);
    await options.pace?.();
  }
  doc.addPage();
  doc.font(font.bold).fontSize(14).text(`Constituent signers (${signers.length})`);
  doc.moveDown(0.5).font(font.regular).fontSize(10);
  for (const line of signers.sort((a, b) => a.localeCompare(b))) doc.text(line);
  doc.end();
  await done;
  return letters;
}
