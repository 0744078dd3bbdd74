// Turns the e-mail templates into the html and text parts nodemailer sends.
// Everything a supporter typed is escaped (by React, or by escapeText below with React's rules, where
// a document rendered once is filled in), so names and messages cannot inject markup.

import { plainTextSelectors } from "@react-email/render";
import { compile } from "html-to-text";
import { createElement, type ComponentType, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type { ComposedLetter } from "~/letters/compose";
import { AlreadySignedEmail, alreadySignedSubject, type AlreadySignedEmailProps } from "./already-signed";
import { ConfirmationEmail, confirmationSubject, type ConfirmationEmailProps } from "./confirmation";
import { LetterDocument, letterBlocks } from "./letter";

const XHTML_DOCTYPE =
  '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">';

/**
 * The React Email components through React's synchronous renderer, with the doctype React Email's
 * render() writes. render() streams through Suspense, which these small synchronous documents do
 * not need: it took four times as long (2 ms a letter, and a signature renders four letters), and
 * its output differs only by Suspense's empty comment markers.
 */
export function renderHtml(element: ReactElement): string {
  return XHTML_DOCTYPE + renderToStaticMarkup(element);
}

/**
 * React Email's own conversion to plain text (its toPlainText: its selectors, no wrapping), with
 * headings left as written (html-to-text shouts them in capitals by default; a note to a person
 * should not), compiled once: toPlainText compiles html-to-text's options at every call, which was
 * half the cost of a confirmation e-mail (3.6 % of the web server's time while the inline worker
 * sent them; bench/README.md). A test checks the two give the same text.
 */
const htmlToText = compile({
  wordwrap: false,
  selectors: [...plainTextSelectors, { selector: "h1", options: { uppercase: false } }],
});

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/**
 * The letter's text part is the composed text itself, not a conversion of the HTML:
 * it is what the supporter previewed and what most office systems file.
 */
export async function renderLetterEmail(letter: ComposedLetter): Promise<{ html: string; text: string }> {
  return { html: letterHtml(letter), text: letter.text };
}

/**
 * A letter's HTML: LetterDocument as React renders it, rendered once with markers where the words
 * go and then filled in with each letter's words, escaped as React escapes text. Rendering it
 * through React for every letter cost 0.15 ms, 0.6 ms a signature (a quarter of the sign action;
 * bench/README.md). A test checks the two give the same HTML, byte for byte.
 */
export function letterHtml(letter: ComposedLetter): string {
  const blocks = letterBlocks(letter).map((lines) => lines.map(escapeText).join(compiledLetter.lineBreak));
  return (
    compiledLetter.beforeSubject +
    escapeText(letter.subject) +
    compiledLetter.beforeBlocks +
    blocks.join(compiledLetter.betweenBlocks) +
    compiledLetter.afterBlocks
  );
}

/** The letter document's fixed parts, found around five markers. */
const compiledLetter = (() => {
  const marker = (name: string) => `SincerelyLetterSlot${name}`;
  const html = renderHtml(
    createElement(LetterDocument, {
      subject: marker("Subject"),
      blocks: [[marker("A"), marker("B")], [marker("C")]],
    }),
  );
  const parts = html.split(/SincerelyLetterSlot(?:Subject|A|B|C)/);
  if (parts.length !== 5) throw new Error("The letter's HTML template does not have the expected shape.");
  const [beforeSubject, beforeBlocks, lineBreak, betweenBlocks, afterBlocks] = parts;
  return { beforeSubject, beforeBlocks, lineBreak, betweenBlocks, afterBlocks };
})();

/** React's escaping of text in HTML (react-dom's escapeTextForBrowser): the same five characters. */
function escapeText(text: string): string {
  return /["&'<>]/.test(text) ? text.replace(/["&'<>]/g, (c) => ESCAPES[c]!) : text;
}
const ESCAPES: Record<string, string> = { '"': "&quot;", "&": "&amp;", "'": "&#x27;", "<": "&lt;", ">": "&gt;" };

export async function renderConfirmationEmail(input: ConfirmationEmailProps): Promise<RenderedEmail> {
  return renderShaped("confirmation", confirmationSubject(input.campaignTitle), ConfirmationEmail, input, [
    "firstName",
    "confirmUrl",
    "unsubscribeUrl",
  ]);
}

export async function renderAlreadySignedEmail(input: AlreadySignedEmailProps): Promise<RenderedEmail> {
  return renderShaped("already_signed", alreadySignedSubject(input.campaignTitle), AlreadySignedEmail, input, [
    "firstName",
    "unsubscribeUrl",
  ]);
}

function renderBoth(subject: string, element: ReactElement): RenderedEmail {
  // Rendered once; the text part is converted from that HTML, not rendered a second time.
  const html = renderHtml(element);
  return { subject, html, text: htmlToText(html) };
}

/**
 * One supporter's e-mail differs from the next one's in a few values only (their name, their
 * links): the campaign's title and the offices repeat for thousands. Each shape is rendered and
 * converted to text once, with markers where those values go, and then filled in. The conversion
 * to text alone cost 0.3 ms an e-mail and the render 0.15 ms, in the web process when the worker
 * runs inline (bench/README.md). A test checks the result equals an e-mail rendered on its own.
 */
function renderShaped<P extends object>(
  kind: string,
  subject: string,
  component: ComponentType<P>,
  props: P,
  slots: (keyof P & string)[],
): RenderedEmail {
  const values = slots.map((slot) => props[slot] as unknown);
  // html-to-text folds white space: a value it would change is rendered on its own.
  if (values.some((value) => value !== undefined && (typeof value !== "string" || FOLDED_BY_TEXT.test(value)))) {
    return renderBoth(subject, createElement(component, props));
  }
  const fixed = Object.entries(props).filter(([name]) => !(slots as string[]).includes(name));
  const key = JSON.stringify([kind, subject, fixed, values.map((value) => value === undefined)]);
  // A title that happened to contain a marker would be filled in as one.
  if (key.includes(SLOT)) return renderBoth(subject, createElement(component, props));
  let shape = shapes.get(key);
  if (!shape) {
    const marked = { ...props } as Record<string, unknown>;
    slots.forEach((slot, index) => {
      if (props[slot] !== undefined) marked[slot] = `${SLOT}${index}x`;
    });
    const rendered = renderBoth(subject, createElement(component, marked as P));
    shape = { html: rendered.html.split(SLOT_PATTERN), text: rendered.text.split(SLOT_PATTERN) };
    // Shapes are per campaign and set of offices: a few hundred; the bound is against surprises.
    if (shapes.size >= 1000) shapes.delete(shapes.keys().next().value!);
    shapes.set(key, shape);
  }
  const texts = values as (string | undefined)[];
  return {
    subject,
    html: fillSlots(shape.html, (index) => escapeText(texts[index] ?? "")),
    text: fillSlots(shape.text, (index) => texts[index] ?? ""),
  };
}

const SLOT = "SincerelyEmailSlot";
/** Splits a rendered shape into [fixed text, slot number, fixed text, slot number, …, fixed text]. */
const SLOT_PATTERN = /SincerelyEmailSlot(\d+)x/;
/** html-to-text's white space (its default whitespaceCharacters), doubled, leading or trailing. */
const FOLDED_BY_TEXT = /[\t\r\n\f\u200b]|^ | $| {2}/;
const shapes = new Map<string, { html: string[]; text: string[] }>();

function fillSlots(parts: string[], value: (index: number) => string): string {
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) out += value(Number(parts[i])) + parts[i + 1]!;
  return out;
}
