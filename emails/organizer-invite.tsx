// The invitation to join a campaign's organizers: one link, single-use, that expires.
import { Body, Button, Container, Head, Heading, Html, Preview, Text } from "@react-email/components";
import { body, container, heading, paragraph, small } from "./styles";

export interface OrganizerInviteEmailProps {
  inviter: string;
  role: string;
  url: string;
  days: number;
}

export function organizerInviteSubject(): string {
  return "You are invited to organize campaigns on Sincerely";
}

export function OrganizerInviteEmail({ inviter, role, url, days }: OrganizerInviteEmailProps) {
  return (
    <Html lang="en">
      <Head>
        <title>{organizerInviteSubject()}</title>
      </Head>
      <Preview>Choose a password to join.</Preview>
      <Body style={body}>
        <Container style={container}>
          <Heading as="h1" style={heading}>
            Join the organizers
          </Heading>
          <Text style={paragraph}>
            {inviter} invited you to the organizers&apos; area of Sincerely as {role === "owner" ? "an" : "a"} {role}.
            Open the link to choose your password.
          </Text>
          <Button href={url} style={{ ...paragraph, textDecoration: "underline" }}>
            Accept the invitation
          </Button>
          <Text style={small}>The link works once, for {days} days. If you did not expect it, ignore this e-mail.</Text>
        </Container>
      </Body>
    </Html>
  );
}

export default OrganizerInviteEmail;
