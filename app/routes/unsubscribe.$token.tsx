// The unsubscribe link of every supporter e-mail: works without logging in. Opening it asks
// for one click (so a mail scanner that opens links unsubscribes nobody); mail programs that
// offer one-click unsubscribe (RFC 8058) POST here directly.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db/client.server";
import { unsubscribe, verifyUnsubscribeToken } from "~/delivery/supporter-email/unsubscribe.server";

export const meta: MetaFunction = () => [
  { title: "Unsubscribe · Sincerely" },
  { name: "robots", content: "noindex" },
  { name: "referrer", content: "no-referrer" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  return { valid: verifyUnsubscribeToken(params.token ?? "") !== null };
}

export async function action({ params }: ActionFunctionArgs) {
  return { outcome: await unsubscribe(db(), params.token ?? "") };
}

export default function Unsubscribe() {
  const { valid } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result?.outcome === "unsubscribed") {
    return (
      <section className="panel narrow">
        <h1>You are unsubscribed</h1>
        <p role="status">
          We will not e-mail you again. Your letters to your officials are not affected: those confirmed still go.
        </p>
        <p>
          To delete your data as well, see <Link to="/privacy">privacy and deleting your data</Link>.
        </p>
      </section>
    );
  }
  if (!valid || result?.outcome === "invalid") {
    return (
      <section className="panel narrow">
        <h1>This link cannot be used</h1>
        <p role="alert">This unsubscribe link is not valid. Check that you copied all of it.</p>
      </section>
    );
  }
  return (
    <section className="panel narrow">
      <h1>Unsubscribe</h1>
      <p>Stop all e-mail from Sincerely to this address? Your letters to your officials still go.</p>
      <Form method="post">
        <button type="submit" className="button primary">
          Unsubscribe
        </button>
      </Form>
    </section>
  );
}
