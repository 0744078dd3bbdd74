// The one link in the confirmation e-mail. Opening it in a browser confirms the signature
// and queues its letters; an expired link offers a new one, a used one says so.
//
// Mail scanners and link previewers open links too, and must not confirm in someone's
// name: a request that names itself as one (or a HEAD request) gets a page with a button to
// press instead, and nothing happens until someone presses it.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { confirmSignature, isLinkScanner, resendConfirmation, type ConfirmResult } from "~/campaigns/confirm.server";
import { hashToken } from "~/security/tokens.server";
import { db } from "~/db/client.server";
import { clientIpHash, limits, retryAfterHeaders, tooManyMessage } from "~/security/request-guards.server";
import { limitHeaders } from "~/security/limit-headers";
import { readForm } from "~/security/read-form.server";

export const headers = limitHeaders;

export const meta: MetaFunction = () => [
  { title: "Confirm your signature · Sincerely" },
  { name: "robots", content: "noindex" },
];

type PageData =
  ConfirmResult | { status: "press-to-confirm"; campaignTitle: string } | { status: "too-many"; message: string };

/** Opening or pressing links from one address is limited, so tokens cannot be guessed by trying. */
async function limited(context: LoaderFunctionArgs["context"], extra: { resendPerLink?: string } = {}) {
  const wait = await limits().consume({ confirmPerIp: clientIpHash(context), ...extra });
  if (wait === null) return null;
  const page: PageData = { status: "too-many", message: tooManyMessage(wait) };
  return data(page, { status: 429, headers: retryAfterHeaders(wait) });
}

function answer(result: PageData) {
  return data(result, { status: result.status === "unknown" ? 404 : 200, headers: { "Cache-Control": "no-store" } });
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const refused = await limited(context);
  if (refused) return refused;
  const automated = request.method === "HEAD" || isLinkScanner(request.headers.get("User-Agent"));
  const result = await confirmSignature(db(), token, new Date(), { dryRun: automated });
  if (automated && result.status === "confirmed") {
    return answer({ status: "press-to-confirm", campaignTitle: result.campaignTitle });
  }
  return answer(result);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const intent = (await readForm(request)).get("intent");
  const refused = await limited(context, intent === "resend" ? { resendPerLink: hashToken(token) } : {});
  if (refused) return refused;
  if (intent === "resend") {
    await resendConfirmation(db(), token);
    return { resent: true, result: null };
  }
  return { resent: false, result: await confirmSignature(db(), token) };
}

export default function Confirm() {
  const loaded = useLoaderData<typeof loader>() as PageData;
  const acted = useActionData<typeof action>() as { resent: boolean; result: PageData | null } | PageData | undefined;
  const actedResult = acted && "status" in acted ? acted : acted?.result;
  const resent = acted !== undefined && "resent" in acted && acted.resent;
  const result = (actedResult ?? loaded) as PageData;
  return (
    <section className="panel confirm">
      {result.status === "too-many" ? (
        <>
          <h1>Please wait a little</h1>
          <p role="alert">{result.message}</p>
        </>
      ) : result.status === "press-to-confirm" ? (
        <>
          <h1>Confirm your signature</h1>
          <p>
            Press the button to confirm your signature on &ldquo;{result.campaignTitle}&rdquo; and send your letters.
          </p>
          <Form method="post">
            <button type="submit" name="intent" value="confirm" className="button primary">
              Confirm and send my letters
            </button>
          </Form>
        </>
      ) : result.status === "confirmed" ? (
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
              <button type="submit" name="intent" value="resend" className="button primary">
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
