// The one link in the confirmation e-mail. Opening it confirms the signature and queues
// its letters; an expired link offers a new one, a used one says so.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { confirmSignature, resendConfirmation } from "~/campaigns/confirm.server";
import { db } from "~/db.server";

export const meta: MetaFunction = () => [
  { title: "Confirm your signature · Sincerely" },
  { name: "robots", content: "noindex" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const result = await confirmSignature(db(), params.token ?? "");
  return data(result, { status: result.status === "unknown" ? 404 : 200, headers: { "Cache-Control": "no-store" } });
}

export async function action({ params }: ActionFunctionArgs) {
  await resendConfirmation(db(), params.token ?? "");
  return { resent: true };
}

export default function Confirm() {
  const result = useLoaderData<typeof loader>();
  const resent = useActionData<typeof action>()?.resent;
  return (
    <section className="panel confirm">
      {result.status === "confirmed" ? (
        <>
          <h1>Thank you, {result.firstName}: your signature is confirmed.</h1>
          <p>
            Your {result.letters === 1 ? "letter is" : `${result.letters} letters are`} now on{" "}
            {result.letters === 1 ? "its" : "their"} way to {result.letters === 1 ? "its office" : "their offices"}.
            Each office receives its letter in your name, with your e-mail address to reply to.
          </p>
          <p>
            <Link to={`/c/${result.campaignSlug}`}>Back to &ldquo;{result.campaignTitle}&rdquo;</Link>: share it so
            others write too.
          </p>
        </>
      ) : result.status === "already-confirmed" ? (
        <>
          <h1>This link has already been used</h1>
          <p>
            Your signature on &ldquo;{result.campaignTitle}&rdquo; is confirmed and its letters are on their way. There
            is nothing more to do.
          </p>
          <p>
            <Link to={`/c/${result.campaignSlug}`}>Back to the campaign</Link>
          </p>
        </>
      ) : result.status === "expired" ? (
        <>
          <h1>This link has expired</h1>
          <p>
            Confirmation links work for 7 days. Your signature on &ldquo;{result.campaignTitle}&rdquo; is waiting: ask
            for a new link and click it to send your letters.
          </p>
          {resent ? (
            <p role="status">If your signature is still waiting, a new link is on its way to your inbox.</p>
          ) : (
            <Form method="post">
              <button type="submit" className="button primary">
                Send me a new link
              </button>
            </Form>
          )}
        </>
      ) : (
        <>
          <h1>We don&apos;t recognise this link</h1>
          <p>
            It may have been copied incompletely. Open the link straight from the e-mail, or sign the campaign again to
            get a new one.
          </p>
          <p>
            <Link to="/">See the campaigns</Link>
          </p>
        </>
      )}
    </section>
  );
}
