import { toPlainText } from "@react-email/render";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { composeLetter, type LetterOffice } from "~/letters/compose";
import { AlreadySignedEmail } from "./already-signed";
import { ConfirmationEmail } from "./confirmation";
import { LetterEmail } from "./letter";
import {
  letterHtml,
  renderAlreadySignedEmail,
  renderConfirmationEmail,
  renderHtml,
  renderLetterEmail,
} from "./render.server";

const senator: LetterOffice = {
  chamber: "senate",
  title: "Senator",
  firstName: "Maria",
  lastName: "Cantwell",
  fullName: "Maria Cantwell",
  state: "WA",
  district: null,
};

/** What a reader sees: tags and React's text separators gone, entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<br\s*\/?>/g, "\n")
    .replace(/<[^>]+>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/[ \t]+/g, " ");
}

function links(html: string): string[] {
  return [...html.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)].map((match) => match[1].replace(/&amp;/g, "&"));
}

const hostile = {
  firstName: "Eve",
  lastName: "<script>alert('x')</script>",
  street: "1 Main St & Co <b>",
  city: "Seattle",
  state: "WA",
  zip: "98101",
  message: "Tom & Jerry say <script>steal()</script>\nand <img src=x onerror=alert(1)>",
};

describe("renderLetterEmail", () => {
  const letter = composeLetter({
    template: "landmines-2020",
    office: senator,
    supporter: hostile,
    points: ["ban", "accede", "stockpiles", "mine-action"],
    seed: "render-test",
  });

  it("sends the composed text as the plain-text part, unchanged", async () => {
    const { text } = await renderLetterEmail(letter);
    expect(text).toBe(letter.text);
  });

  it("shows the whole letter in the HTML part, in order", async () => {
    const { html } = await renderLetterEmail(letter);
    const seen = visibleText(html);
    const parts = [letter.salutation, ...letter.paragraphs, "Tom & Jerry say", letter.closing, "Seattle, WA 98101"];
    let from = 0;
    for (const part of parts) {
      const at = seen.indexOf(part, from);
      expect(at, `"${part.slice(0, 40)}…" in order`).toBeGreaterThanOrEqual(from);
      from = at + part.length;
    }
  });

  it("escapes everything the supporter typed", async () => {
    const { html } = await renderLetterEmail(letter);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<b>/);
    expect(html).toContain("Tom &amp; Jerry");
    expect(html).toContain("&lt;script&gt;steal()&lt;/script&gt;");
    expect(html).toContain("1 Main St &amp; Co &lt;b&gt;");
    expect(visibleText(html)).toContain("<script>alert('x')</script>");
  });

  it("keeps the line break in the supporter's words and carries no links or images", async () => {
    const { html } = await renderLetterEmail(letter);
    expect(html).toMatch(/steal\(\)&lt;\/script&gt;<br\/?>and &lt;img/);
    expect(links(html)).toEqual([]);
  });
});

describe("letterHtml", () => {
  const offices: LetterOffice[] = [
    senator,
    {
      chamber: "house",
      title: "Representative",
      firstName: "Pramila",
      lastName: 'O\'Neil & "Jayapal" <i>',
      fullName: "Pramila O'Neil",
      state: "WA",
      district: 7,
    },
    {
      chamber: "white_house",
      title: "President",
      firstName: "",
      lastName: "",
      fullName: "The President",
      state: null,
      district: null,
    },
  ];
  const messages = [
    null,
    "One line, it's short.",
    hostile.message,
    'First paragraph\nwith a second line\n\n  \n\nSecond "paragraph" & more\n\n\nthird\r\nfourth',
    "   indented\n\ttabbed > quoted",
  ];

  it("gives the HTML React renders from the letter's component, byte for byte", () => {
    let seed = 0;
    for (const office of offices) {
      for (const message of messages) {
        for (const points of [[], ["ban"], ["ban", "accede", "stockpiles", "mine-action"]]) {
          const letter = composeLetter({
            template: "landmines-2020",
            office,
            supporter: { ...hostile, message },
            points,
            seed: `compiled-${seed++}`,
          });
          expect(letterHtml(letter)).toBe(renderHtml(createElement(LetterEmail, { letter })));
        }
      }
    }
  });
});

describe("renderConfirmationEmail", () => {
  const input = {
    firstName: "Ana",
    campaignTitle: "Ban landmines and cluster munitions",
    confirmUrl: "http://localhost:3000/confirm/tok_123?utm=none&x=1",
    offices: ["The President", "Senator Maria Cantwell", "Representative Adam Smith"],
    expiresInDays: 7,
  };

  it("asks the supporter to confirm their signature on the campaign", async () => {
    const mail = await renderConfirmationEmail(input);
    expect(mail.subject).toBe("Confirm your signature on Ban landmines and cluster munitions");
    expect(visibleText(mail.html)).toContain("Hello Ana,");
  });

  it("holds exactly one link, and it is the confirmation link", async () => {
    const mail = await renderConfirmationEmail(input);
    expect(links(mail.html)).toEqual([input.confirmUrl]);
    expect(mail.text).toContain(input.confirmUrl);
    expect(mail.text.match(/https?:\/\//g)).toHaveLength(1);
  });

  it("lists the offices the letters will go to, the expiry and what to do if it was not you", async () => {
    const mail = await renderConfirmationEmail(input);
    for (const office of input.offices) {
      expect(visibleText(mail.html)).toContain(office);
      expect(mail.text).toContain(office);
    }
    expect(mail.text).toContain("This link works for 7 days.");
    expect(mail.text).toMatch(/did not sign[\s\S]*ignore/);
    expect((await renderConfirmationEmail({ ...input, expiresInDays: 1 })).text).toContain("works for 1 day.");
  });

  it("has the text React Email's own conversion gives, headings as written", async () => {
    const mail = await renderConfirmationEmail(input);
    const reactEmails = toPlainText(mail.html, { selectors: [{ selector: "h1", options: { uppercase: false } }] });
    expect(mail.text).toBe(reactEmails);
    expect(mail.text).toContain(input.confirmUrl);
    const heading = /<h1[^>]*>([^<]+)<\/h1>/.exec(mail.html)?.[1];
    expect(heading, "the e-mail has a heading").toBeDefined();
    expect(mail.text).toContain(heading!.trim());
  });

  it("escapes the supporter's name", async () => {
    const mail = await renderConfirmationEmail({
      ...input,
      firstName: "<script>x()</script> & co",
    });
    expect(mail.html).not.toMatch(/<script/i);
    expect(mail.html).toContain("&lt;script&gt;x()&lt;/script&gt; &amp; co");
    expect(links(mail.html)).toHaveLength(1);
  });
});

describe("renderAlreadySignedEmail", () => {
  it("tells a repeat signer that nothing new is sent, without a confirmation link", async () => {
    const mail = await renderAlreadySignedEmail({
      firstName: "Ana",
      campaignTitle: "Ban landmines and cluster munitions",
      campaignUrl: "http://localhost:3000/c/ban-landmines-and-cluster-munitions",
      offices: ["Senator Maria Cantwell"],
    });
    expect(mail.subject).toBe("You have already signed Ban landmines and cluster munitions");
    expect(mail.text).toContain("nothing new will be sent");
    expect(mail.text).toContain("Senator Maria Cantwell");
    expect(links(mail.html)).toEqual(["http://localhost:3000/c/ban-landmines-and-cluster-munitions"]);
    expect(mail.html).not.toContain("/confirm/");
  });
});

describe("supporter e-mails rendered once per shape", () => {
  /** The e-mail rendered on its own: React's HTML and React Email's own conversion to text. */
  function onItsOwn(element: Parameters<typeof renderHtml>[0]) {
    const html = renderHtml(element);
    return { html, text: toPlainText(html, { selectors: [{ selector: "h1", options: { uppercase: false } }] }) };
  }
  function expectAsOnItsOwn(
    mail: { html: string; text: string },
    element: Parameters<typeof renderHtml>[0],
    who: string,
  ) {
    const own = onItsOwn(element);
    expect(mail.html, `${who}: html`).toBe(own.html);
    expect(mail.text, `${who}: text`).toBe(own.text);
  }
  const names = [
    "Ana",
    "<script>x()</script> & co",
    'O\'Brien "Junior"',
    "Zoë 李 Nguyễn",
    "Ana\u200bMaria",
    " Ana",
    "Ana  Maria",
    "SincerelyEmailSlot0x",
  ];
  const officeLists = [
    [],
    ["The President"],
    ["The President", "Senator Maria Cantwell", "Senator Patty Murray", "Representative Adam Smith"],
  ];

  it("gives every supporter the confirmation e-mail a render of its own gives", async () => {
    for (const firstName of names) {
      for (const offices of officeLists) {
        for (const unsubscribeUrl of [undefined, "http://localhost:3000/unsubscribe/u_1?a=1&b='2'"]) {
          for (const expiresInDays of [1, 7]) {
            const input = {
              firstName,
              campaignTitle: "Ban landmines & <cluster> munitions",
              confirmUrl: `http://localhost:3000/confirm/tok_${firstName.length}?x=1&y="2"`,
              offices,
              expiresInDays,
              unsubscribeUrl,
            };
            expectAsOnItsOwn(await renderConfirmationEmail(input), createElement(ConfirmationEmail, input), firstName);
          }
        }
      }
    }
  });

  it("gives every supporter the already-signed e-mail a render of its own gives", async () => {
    for (const firstName of names) {
      for (const unsubscribeUrl of [undefined, "http://localhost:3000/unsubscribe/u_2"]) {
        const input = {
          firstName,
          campaignTitle: "Ban landmines",
          campaignUrl: "http://localhost:3000/c/ban-landmines",
          offices: officeLists[2]!,
          unsubscribeUrl,
        };
        expectAsOnItsOwn(await renderAlreadySignedEmail(input), createElement(AlreadySignedEmail, input), firstName);
      }
    }
  });

  it("does not mistake a campaign title holding a marker for a supporter's value", async () => {
    const input = {
      firstName: "Ana",
      campaignTitle: "SincerelyEmailSlot0x",
      confirmUrl: "http://localhost:3000/confirm/tok_9",
      offices: [],
      expiresInDays: 7,
    };
    const mail = await renderConfirmationEmail(input);
    expect(mail.html).toBe(onItsOwn(createElement(ConfirmationEmail, input)).html);
  });
});
