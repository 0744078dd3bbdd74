// The privacy page: what Sincerely keeps about a supporter, and "Delete my data". The answer
// is the same whether or not the address has signed anything, so the form tells nobody who has.
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { db } from "~/db/client.server";
import { ErrorSummary, Field, formErrors, useSchemaForm } from "~/organizers/form-kit";
import { requestErasure } from "~/privacy/erasure.server";
import { ERASURE_LINK_HOURS, ErasureRequestSchema, type ErasureRequestInput } from "~/privacy/erasure-schema";
import { limitHeaders } from "~/security/limit-headers";
import { readForm } from "~/security/read-form.server";
import { clientIpHash, limits, retryAfterHeaders, tooManyMessage } from "~/security/request-guards.server";

export const headers = limitHeaders;

export const meta: MetaFunction = () => [
  { title: "Privacy and deleting your data · Sincerely" },
  { name: "description", content: "What Sincerely keeps about supporters, and how to have it deleted." },
];

export async function action({ request, context }: ActionFunctionArgs) {
  const form = Object.fromEntries(await readForm(request));
  const wait = await limits().consume({ erasurePerIp: clientIpHash(context) });
  if (wait !== null) {
    return data(
      { errors: { form: tooManyMessage(wait) }, email: String(form.email ?? ""), sent: false },
      { status: 429, headers: retryAfterHeaders(wait) },
    );
  }
  const parsed = ErasureRequestSchema.safeParse(form);
  if (!parsed.success) {
    return data({ errors: formErrors(parsed.error), email: String(form.email ?? ""), sent: false }, { status: 400 });
  }
  // Not awaited: the answer must come as fast for an address that signed (a row written, an e-mail
  // sent) as for one that did not, or its timing would tell who signed.
  requestErasure(db(), parsed.data.email).catch((error: Error) => {
    console.error(`[privacy] erasure request e-mail failed: ${error.message}`);
  });
  return { errors: {}, email: parsed.data.email, sent: true };
}

export default function Privacy() {
  const result = useActionData<typeof action>();
  const form = useSchemaForm<ErasureRequestInput>(ErasureRequestSchema, {
    id: "erase",
    serverErrors: result?.errors,
    defaults: { email: result?.email ?? "" },
  });
  const { register, errors } = form;
  return (
    <section className="panel">
      <h1>Privacy and deleting your data</h1>
      <p>
        When you sign a campaign we keep your name, e-mail and postal address, the points you chose and your own words,
        and the letters written from them, so that your letters reach your offices and organizers can deliver them by
        hand. Every e-mail we send you has a link to unsubscribe; unsubscribing stops our e-mails, not your letters.
      </p>
      <h2 id="delete-heading">Delete my data</h2>
      <p>
        Give the e-mail address you signed with. We send a link to it; once you open it and confirm, we delete your
        name, address, e-mail and own words from every campaign, and letters not yet sent are not sent. Anonymous counts
        (how many people signed, from which state and district) stay. Letters already delivered cannot be called back.
      </p>
      {result?.sent ? (
        <p role="status" className="notice">
          If {result.email} has signed a campaign here, a link to confirm the deletion is on its way to it. It works for{" "}
          {ERASURE_LINK_HOURS} hours.
        </p>
      ) : null}
      <ErrorSummary errors={errors} labels={{ email: "Email" }} id={form.id} summaryRef={form.summaryRef} />
      <Form method="post" noValidate ref={form.formRef} onSubmit={form.onSubmit} aria-labelledby="delete-heading">
        <Field id={form.id} name="email" label="Email" error={errors.email}>
          {(p) => <input {...register("email")} {...p} type="email" autoComplete="email" />}
        </Field>
        <button type="submit" className="button primary">
          Send me the deletion link
        </button>
      </Form>
    </section>
  );
}
