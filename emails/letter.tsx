// The HTML part of a letter to an office: the composed letter and nothing else. Its
// plain-text twin is ComposedLetter.text, which is what most office systems keep.

import { Body, Container, Head, Html, Text } from "@react-email/components";
import { Fragment } from "react";
import type { ComposedLetter } from "~/letters/compose";
import { body, container, paragraph } from "./styles";

export interface LetterEmailProps {
  letter: ComposedLetter;
}

export function LetterEmail({ letter }: LetterEmailProps) {
  return <LetterDocument subject={letter.subject} blocks={letterBlocks(letter)} />;
}

/**
 * The letter as paragraphs of lines: the salutation, the composed paragraphs, the supporter's
 * words (their paragraphs and line breaks kept), and the closing with the signature's lines.
 */
export function letterBlocks(letter: ComposedLetter): string[][] {
  return [
    [letter.salutation],
    ...letter.paragraphs.map((text) => [text]),
    ...(letter.ownWords ? letter.ownWords.split(/\n\s*\n/).map((block) => block.split("\n")) : []),
    [letter.closing, ...letter.signature],
  ];
}

/**
 * Lines are joined by <br> rather than kept by CSS white-space, which several mail clients
 * ignore. render.server renders this document once and fills it in for each letter (letterHtml).
 */
export function LetterDocument({ subject, blocks }: { subject: string; blocks: string[][] }) {
  return (
    <Html lang="en">
      <Head>
        <title>{subject}</title>
      </Head>
      <Body style={body}>
        <Container style={container}>
          {blocks.map((lines, index) => (
            <Text key={index} style={paragraph}>
              {lines.map((line, at) => (
                <Fragment key={at}>
                  {at > 0 ? <br /> : null}
                  {line}
                </Fragment>
              ))}
            </Text>
          ))}
        </Container>
      </Body>
    </Html>
  );
}

export default LetterEmail;
