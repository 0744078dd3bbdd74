// Asks a supporter to confirm that their data should be erased. The button leads to a page
// that asks once more, so a link scanner opening it erases nothing.
import { Body, Button, Container, Head, Heading, Html, Link, Text } from "@react-email/components";
import { body, container, heading, paragraph, small } from "./styles";

export interface ErasureConfirmationEmailProps {
  confirmUrl: string;
  campaigns: string[];
  hours: number;
  unsubscribeUrl?: string;
}

export function erasureConfirmationSubject(): string {
  return "Confirm that we should delete your data";
}

export function ErasureConfirmationEmail({
  confirmUrl,
  campaigns,
  hours,
  unsubscribeUrl,
}: ErasureConfirmationEmailProps) {
  return (
    <Html lang="en">
      <Head>
        <title>{erasureConfirmationSubject()}</title>
      </Head>
      <Body style={body}>
        <Container style={container}>
          <Heading as="h1" style={heading}>
            Delete your data?
          </Heading>
          <Text style={paragraph}>
            Someone, probably you, asked us to delete the personal data we hold for this e-mail address: your name,
            address, e-mail and your own words, on {campaigns.length === 1 ? "the campaign" : "the campaigns"}{" "}
            {campaigns.join(", ")}. Letters already delivered to offices cannot be called back; letters not yet sent
            will not be sent.
          </Text>
          <Button href={confirmUrl} style={{ ...paragraph, textDecoration: "underline" }}>
            Yes, delete my data
          </Button>
          <Text style={small}>
            The link works for {hours} hours. If you did not ask for this, ignore this e-mail and nothing changes.
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

export default ErasureConfirmationEmail;
