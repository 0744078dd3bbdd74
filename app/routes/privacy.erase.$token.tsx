// The deletion link from the e-mail. Opening it asks once more (a link scanner that opens it
// erases nothing); the button erases.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db/client.server";
import { confirmErasure, erasureLinkState, type ErasureLinkState } from "~/privacy/erasure.server";

export const meta: MetaFunction = () => [
  { title: "Delete your data · Sincerely" },
  { name: "robots", content: "noindex" },
  { name: "referrer", content: "no-referrer" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  return { state: await erasureLinkState(db(), params.token ?? "") };
}

export async function action({ params }: ActionFunctionArgs) {
  const result = await confirmErasure(db(), params.token ?? "");
  return { state: result.state, erased: result.state === "valid" };
}

const UNUSABLE: Record<Exclude<ErasureLinkState, "valid">, string> = {
  used: "This link has already been used: the data was deleted then.",
  expired: "This link has expired. Ask for a new one on the privacy page.",
  unknown: "This link is not valid. Check that you copied all of it, or ask for a new one on the privacy page.",
};

export default function Erase() {
  const { state } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result?.erased) {
    return (
      <section className="panel narrow">
        <h1>Your data is deleted</h1>
        <p role="status">
          We deleted your name, address, e-mail and own words from every campaign you signed, and cancelled the letters
          that had not been sent yet. We will not e-mail you again.
        </p>
        <p>
          <Link to="/">Back to the campaigns</Link>
        </p>
      </section>
    );
  }
  const current = result?.state ?? state;
  if (current !== "valid") {
    return (
      <section className="panel narrow">
        <h1>This link cannot be used</h1>
        <p role="alert">{UNUSABLE[current]}</p>
        <p>
          <Link to="/privacy">Privacy and deleting your data</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="panel narrow">
      <h1>Delete your data?</h1>
      <p>
        This deletes your name, address, e-mail and own words from every campaign you signed with this address, and
        cancels letters not yet sent. It cannot be undone.
      </p>
      <Form method="post">
        <button type="submit" className="button primary">
          Delete my data
        </button>
      </Form>
    </section>
  );
}
