// Turns the e-mail templates into the html and text parts nodemailer sends.
// React escapes everything a supporter typed, so names and messages cannot inject markup.

import { render, toPlainText } from "@react-email/render";
import { createElement, type ReactElement } from "react";
import type { ComposedLetter } from "~/letters/compose";
import { AlreadySignedEmail, alreadySignedSubject, type AlreadySignedEmailProps } from "./already-signed";
import { ConfirmationEmail, confirmationSubject, type ConfirmationEmailProps } from "./confirmation";
import { LetterEmail } from "./letter";

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
  const html = await render(createElement(LetterEmail, { letter }));
  return { html, text: letter.text };
}

export async function renderConfirmationEmail(input: ConfirmationEmailProps): Promise<RenderedEmail> {
  return renderBoth(confirmationSubject(input.campaignTitle), createElement(ConfirmationEmail, input));
}

export async function renderAlreadySignedEmail(input: AlreadySignedEmailProps): Promise<RenderedEmail> {
  return renderBoth(alreadySignedSubject(input.campaignTitle), createElement(AlreadySignedEmail, input));
}

async function renderBoth(subject: string, element: ReactElement): Promise<RenderedEmail> {
  // Rendered once; the text part is converted from that HTML (React Email's own conversion), not
  // rendered a second time: the sign form waits for this e-mail.
  const html = await render(element);
  // html-to-text shouts headings in capitals by default; a note to a person should not.
  const text = toPlainText(html, { selectors: [{ selector: "h1", options: { uppercase: false } }] });
  return { subject, html, text };
}
