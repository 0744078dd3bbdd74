// Sent when someone signs a campaign again with an address whose signature is already
// confirmed. It says so and changes nothing: signing twice never sends letters twice.

import { Body, Container, Head, Heading, Html, Link, Text } from "@react-email/components";
import { body, container, paragraph, small, heading } from "./styles";

export interface AlreadySignedEmailProps {
  firstName: string;
  campaignTitle: string;
  campaignUrl: string;
  offices: string[];
  /** Stops e-mail to the supporter (not their letters); every supporter e-mail carries one. */
  unsubscribeUrl?: string;
}

export function alreadySignedSubject(campaignTitle: string): string {
  return `You have already signed ${campaignTitle}`;
}

export function AlreadySignedEmail({
  firstName,
  campaignTitle,
  campaignUrl,
  offices,
  unsubscribeUrl,
}: AlreadySignedEmailProps) {
  return (
    <Html lang="en">
      <Head>
        <title>{alreadySignedSubject(campaignTitle)}</title>
      </Head>
      <Body style={body}>
        <Container style={container}>
          <Heading as="h1" style={heading}>
            You have already signed {campaignTitle}
          </Heading>
          <Text style={paragraph}>Hello {firstName},</Text>
          <Text style={paragraph}>
            Someone, probably you, just signed this campaign again with this e-mail address. Your signature was already
            confirmed, so nothing new will be sent and your letters stay as they were.
          </Text>
          {offices.length > 0 ? (
            <>
              <Text style={paragraph}>Your letters went to:</Text>
              <ul style={{ ...paragraph, paddingLeft: "20px" }}>
                {offices.map((office) => (
                  <li key={office}>{office}</li>
                ))}
              </ul>
            </>
          ) : null}
          <Text style={paragraph}>
            To ask others to join you, share the campaign page: <Link href={campaignUrl}>{campaignUrl}</Link>
          </Text>
          <Text style={small}>If this was not you, there is nothing to do; you can ignore this e-mail.</Text>
          {unsubscribeUrl ? (
            <Text style={small}>
              Do not want e-mail from us? <Link href={unsubscribeUrl}>Unsubscribe</Link>. Your letters are not affected.
            </Text>
          ) : null}
        </Container>
      </Body>
    </Html>
  );
}

export default AlreadySignedEmail;
