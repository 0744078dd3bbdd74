// The double opt-in e-mail. Its one link is the confirmation: nothing in it may be
// mistaken for another action, and nothing goes to any office until it is clicked.

import { Body, Button, Container, Head, Heading, Html, Link, Preview, Section, Text } from "@react-email/components";
import { body, container, paragraph, small, heading } from "./styles";

export interface ConfirmationEmailProps {
  firstName: string;
  campaignTitle: string;
  confirmUrl: string;
  /** "Senator Maria Cantwell", "The President". */
  offices: string[];
  expiresInDays: number;
  /** Stops e-mail to the supporter (not their letters); every supporter e-mail carries one. */
  unsubscribeUrl?: string;
}

export function confirmationSubject(campaignTitle: string): string {
  return `Confirm your signature on ${campaignTitle}`;
}

export function ConfirmationEmail({
  firstName,
  campaignTitle,
  confirmUrl,
  offices,
  expiresInDays,
  unsubscribeUrl,
}: ConfirmationEmailProps) {
  const days = expiresInDays === 1 ? "1 day" : `${expiresInDays} days`;
  return (
    <Html lang="en">
      <Head>
        <title>{confirmationSubject(campaignTitle)}</title>
      </Head>
      <Preview>Your letters are waiting for one click.</Preview>
      <Body style={body}>
        <Container style={container}>
          <Heading as="h1" style={heading}>
            Confirm your signature on {campaignTitle}
          </Heading>
          <Text style={paragraph}>Hello {firstName},</Text>
          <Text style={paragraph}>
            Thank you for signing. Please confirm that this is your e-mail address; once you do, your letters will be
            sent.
          </Text>
          <Section style={{ margin: "24px 0" }}>
            <Button href={confirmUrl} style={button}>
              Confirm my signature
            </Button>
          </Section>
          {offices.length > 0 ? (
            <>
              <Text style={paragraph}>Your letters will go to:</Text>
              <ul style={{ ...paragraph, paddingLeft: "20px" }}>
                {offices.map((office) => (
                  <li key={office}>{office}</li>
                ))}
              </ul>
            </>
          ) : null}
          <Text style={small}>This link works for {days}.</Text>
          <Text style={small}>
            If you did not sign this campaign, you can ignore this e-mail: without your confirmation nothing is sent.
          </Text>
          {unsubscribeUrl ? (
            <Text style={small}>
              Do not want e-mail from us? <Link href={unsubscribeUrl}>Unsubscribe</Link>.
            </Text>
          ) : null}
        </Container>
      </Body>
    </Html>
  );
}

const button = {
  backgroundColor: "#1f4e79",
  borderRadius: "4px",
  color: "#ffffff",
  fontFamily: "Arial, Helvetica, sans-serif",
  fontSize: "16px",
  padding: "12px 20px",
  textDecoration: "none",
};

export default ConfirmationEmail;
