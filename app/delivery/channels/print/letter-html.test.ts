import fc from "fast-check";
import { compile } from "html-to-text";
import { describe, expect, it } from "vitest";
import { getLetterTemplate, letterTemplateKeys } from "~/letters/campaigns";
import { composeLetter } from "~/letters/compose";
import { MESSAGE_MAX } from "~/campaigns/sign-schema";
import {
  escapeHtml,
  markup,
  letterBlocks,
  LOB_FILE_MAX_CHARS,
  renderLetterHtml,
  type PrintedLetter,
} from "./letter-html";

const ada = {
  firstName: "Ada",
  lastName: "Lovelace",
  street: "12 Pine Street",
  city: "Burlington",
  state: "VT",
  zip: "05401",
};
const officeLines = [
  "Hon. Peter Welch",
  "United States Senate",
  "124 Russell Senate Office Building",
  "Washington, DC 20510",
];
const letter = (overrides: Partial<PrintedLetter> = {}): PrintedLetter => ({
  date: new Date("2026-12-04T03:30:00Z"),
  recipientLines: officeLines,
  bodyText: "Dear Senator Welch,\n\nPlease support the Mine Ban Treaty.\n\nSincerely,",
  ownWords: null,
  sender: ada,
  ...overrides,
});

/** The tags a rendered letter may contain; anything else came from someone's text. */
const ALLOWED_TAGS = new Set(["!DOCTYPE", "html", "head", "meta", "style", "body", "div", "p", "br", "bdi"]);
const tagsIn = (page: string) => [...page.matchAll(/<\/?([!A-Za-z][A-Za-z0-9]*)/g)].map((m) => m[1]);
const decode = (s: string) =>
  s.replace(/&(amp|lt|gt|quot);/g, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"' })[e] as string);

describe("escaping", () => {
  it("leaves no character that could open a tag, end an attribute or start an entity of its own, and loses nothing", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const escaped = escapeHtml(text);
        expect(escaped).not.toMatch(/[<>"]/);
        expect(escaped.replace(/&(amp|lt|gt|quot);/g, "")).not.toContain("&");
        expect(decode(escaped)).toBe(text);
      }),
    );
  });

  it("escapes every value given to a template, but not markup made by a template", () => {
    const inner = markup`<b>${"<i>"}</b>`;
    expect(markup`<p>${"a & b"}${inner}${[inner, inner]}${7}</p>`.value).toBe(
      "<p>a &amp; b<b>&lt;i&gt;</b><b>&lt;i&gt;</b><b>&lt;i&gt;</b>7</p>",
    );
  });

  it.each([
    ["<script>alert(1)</script>", "Lovelace"],
    ['"><img src=x onerror=alert(1)>', "O'Brien & Sons"],
    ["</p></div></body><style>*{display:none}</style>", "&amp;lt;"],
    ["Zoë 🎉👩🏽‍💻", "Nguyễn"],
    ["محمد", "אברהם"],
  ])("prints a hostile or unusual name as text: %s %s", (firstName, lastName) => {
    const sender = { ...ada, firstName, lastName, street: `1 <b>Main</b> & "Elm"`, city: "São Paulo" };
    const page = renderLetterHtml(
      letter({ sender, ownWords: `</p><script>x</script>\n\n${firstName} & ${lastName} say <hi>` }),
    );
    expect(tagsIn(page).filter((tag) => !ALLOWED_TAGS.has(tag))).toEqual([]);
    // Read back by a real HTML parser, the words are exactly what was typed.
    const text = compile({ wordwrap: false })(page);
    expect(text).toContain(`${firstName} ${lastName}`);
    expect(text).toContain(`1 <b>Main</b> & "Elm"`);
    expect(text).toContain(`</p><script>x</script>`);
    expect(text).toContain(`${firstName} & ${lastName} say <hi>`);
  });

  it("isolates every name and address line, so right-to-left text cannot reorder the lines around it", () => {
    const page = renderLetterHtml(letter({ sender: { ...ada, firstName: "محمد", lastName: "الأحمد" } }));
    expect(page).toContain("<bdi>محمد الأحمد</bdi>");
    expect(page).toContain("<bdi>Hon. Peter Welch</bdi>");
    expect(page).toMatch(/<p dir="auto">Dear Senator Welch,<\/p>/);
  });
});

describe("the printed page", () => {
  it("leaves the top of the first page to Lob's address block, then dates and addresses the letter", () => {
    const page = renderLetterHtml(letter());
    expect(page).toMatch(/^<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>/);
    expect(page).toContain("@page{size:8.5in 11in;margin:.75in 1in}");
    expect(page).toContain("Georgia");
    // The blank band comes first: 0.75 in margin + 2.25 in = the 3 inches Lob prints into.
    expect(page.indexOf('<div class="window"></div>')).toBeLessThan(page.indexOf("December"));
    // Signed at 22:30 in Washington on December 3, whatever the server's time zone.
    expect(page).toContain("<p>December 3, 2026</p>");
    expect(page).toContain(
      '<p class="to"><bdi>Hon. Peter Welch</bdi><br><bdi>United States Senate</bdi><br><bdi>124 Russell Senate Office Building</bdi><br><bdi>Washington, DC 20510</bdi></p>',
    );
    expect(page).toContain(
      '<div class="sig"><p dir="auto">Sincerely,</p><p><bdi>Ada Lovelace</bdi><br><bdi>12 Pine Street</bdi><br><bdi>Burlington, VT 05401</bdi></p></div>',
    );
  });

  it("prints the stored letter once: its own words and its signature are not added a second time", () => {
    const composed = composeLetter({
      template: letterTemplateKeys[0],
      office: {
        chamber: "senate",
        title: "Senator",
        firstName: "Peter",
        lastName: "Welch",
        fullName: "Peter Welch",
        state: "VT",
        district: null,
      },
      supporter: { ...ada, message: "I grew up near a minefield.\n\nPlease act." },
      points: [],
      seed: "s1",
    });
    const page = renderLetterHtml(letter({ bodyText: composed.text, ownWords: composed.ownWords }));
    expect(page.split("I grew up near a minefield.").length).toBe(2);
    expect(page.split("Ada Lovelace").length).toBe(2);
    expect(page).toContain(`<div class="sig"><p><bdi>${composed.closing}</bdi><br><bdi>Ada Lovelace</bdi>`);
  });

  it("puts own words given apart from the text before the closing, one paragraph each", () => {
    const { blocks, signature } = letterBlocks(letter({ ownWords: "First.\r\n\r\nSecond,\nstill second." }));
    expect(signature).toBeNull();
    expect(blocks).toEqual([
      "Dear Senator Welch,",
      "Please support the Mine Ban Treaty.",
      "First.",
      "Second,\nstill second.",
      "Sincerely,",
    ]);
  });

  it("fits Lob's 10,000 characters for the longest letter a supporter of a shipped campaign can write", () => {
    // Every field at the sign form's limit, every point ticked, the longest wording over many seeds.
    const longest = {
      firstName: "F".repeat(80),
      lastName: "L".repeat(80),
      street: "S".repeat(200),
      city: "C".repeat(100),
      state: "WA",
      zip: "98101",
    };
    let bodyText = "";
    for (const key of letterTemplateKeys) {
      const points = getLetterTemplate(key).points.map((p) => p.key);
      for (const chamber of ["white_house", "senate", "house"] as const) {
        for (let seed = 0; seed < 200; seed++) {
          const office = {
            chamber,
            title: "Resident Commissioner",
            firstName: "Pablo",
            lastName: "Hernández Rivera",
            fullName: "Pablo José Hernández Rivera",
            state: "PR",
            district: 0,
          };
          const text = composeLetter({ template: key, office, supporter: longest, points, seed: String(seed) }).text;
          if (text.length > bodyText.length) bodyText = text;
        }
      }
    }
    const ownWords = "I have written this in my own words. ".repeat(60).slice(0, MESSAGE_MAX);
    const page = renderLetterHtml(letter({ bodyText, ownWords, sender: longest }));
    expect(bodyText.length).toBeLessThan(3000);
    expect(page.length).toBeLessThanOrEqual(LOB_FILE_MAX_CHARS);
    // The margin is what escaping may take: each & costs 4 characters more, each < or > 3.
    expect(LOB_FILE_MAX_CHARS - page.length).toBeGreaterThan(3500);

    // Own words made only of ampersands do not fit; the channel refuses such a letter (see lob.server.test.ts).
    const worst = renderLetterHtml(letter({ bodyText, ownWords: "&".repeat(MESSAGE_MAX), sender: longest }));
    expect(worst.length).toBeGreaterThan(LOB_FILE_MAX_CHARS);
  });
});
