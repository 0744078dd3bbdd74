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
  return (
    <Html lang="en">
      <Head>
        <title>{letter.subject}</title>
      </Head>
      <Body style={body}>
        <Container style={container}>
          <Text style={paragraph}>{letter.salutation}</Text>
          {letter.paragraphs.map((text, index) => (
            <Text key={index} style={paragraph}>
              {text}
            </Text>
          ))}
          {letter.ownWords ? <OwnWords text={letter.ownWords} /> : null}
          <Text style={paragraph}>
            <Lines lines={[letter.closing, ...letter.signature]} />
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

/**
 * The supporter's words keep their paragraphs and line breaks. <br> rather than CSS
 * white-space, which several mail clients ignore.
 */
function OwnWords({ text }: { text: string }) {
  return (
    <>
      {text.split(/\n\s*\n/).map((block, index) => (
        <Text key={index} style={paragraph}>
          <Lines lines={block.split("\n")} />
        </Text>
      ))}
    </>
  );
}

function Lines({ lines }: { lines: string[] }) {
  return (
    <>
      {lines.map((line, index) => (
        <Fragment key={index}>
          {index > 0 ? <br /> : null}
          {line}
        </Fragment>
      ))}
    </>
  );
}

export default LetterEmail;
