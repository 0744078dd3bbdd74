// Accepting an invitation: the invitee chooses a name and password and is signed in. Reached
// without a session (the link is the credential); a used or expired link says so.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db/client.server";
import { ErrorSummary, Field, formErrors, useSchemaForm } from "~/organizers/form-kit";
import { startSession } from "~/organizers/session.server";
import { AcceptInviteSchema, PASSWORD_MIN, type AcceptInviteInput } from "~/organizers/team-schema";
import { acceptInvite, findInvite, type InviteState } from "~/organizers/team.server";
import { readForm } from "~/security/read-form.server";

export const meta: MetaFunction = () => [
  { title: "Join the organizers · Sincerely" },
  { name: "robots", content: "noindex" },
  // The token is in the address: do not hand it to other sites in the Referer.
  { name: "referrer", content: "no-referrer" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  return { invite: await findInvite(db(), params.token ?? "") };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = Object.fromEntries(await readForm(request));
  const parsed = AcceptInviteSchema.safeParse(form);
  if (!parsed.success) {
    return data({ errors: formErrors(parsed.error), name: String(form.name ?? "") }, { status: 400 });
  }
  const result = await acceptInvite(db(), params.token ?? "", parsed.data);
  if ("state" in result) return data({ invite: result as InviteState }, { status: 410 });
  return startSession(result, "/admin");
}

const LABELS = { name: "Your name", password: "Password", confirm: "Password again" };

function Unusable({ state }: { state: string }) {
  return (
    <section className="panel narrow">
      <h1>This invitation cannot be used</h1>
      <p role="alert">
        {state === "used"
          ? "This invitation link has already been used. If that was you, sign in with your e-mail and password."
          : state === "expired"
            ? "This invitation link has expired. Ask the owner who invited you for a new one."
            : "This invitation link is not valid. Check that you copied all of it, or ask for a new one."}
      </p>
      <p>
        <Link to="/admin/login">Sign in</Link>
      </p>
    </section>
  );
}

export default function AcceptInvite() {
  const { invite } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const spent = result && "invite" in result ? result.invite : undefined;
  const serverErrors = result && "errors" in result ? result.errors : undefined;
  const form = useSchemaForm<AcceptInviteInput>(AcceptInviteSchema, {
    id: "join",
    serverErrors,
    defaults: { name: result && "name" in result ? result.name : "", password: "", confirm: "" },
  });
  if (spent) return <Unusable state={spent.state} />;
  if (invite.state !== "valid") return <Unusable state={invite.state} />;
  const { register, errors } = form;
  return (
    <section className="panel narrow">
      <h1>Join the organizers</h1>
      <p>
        You were invited as <strong>{invite.role}</strong> with the e-mail address <strong>{invite.email}</strong>.
        Choose your password to finish.
      </p>
      <ErrorSummary errors={errors} labels={LABELS} id={form.id} summaryRef={form.summaryRef} />
      <Form method="post" noValidate ref={form.formRef} onSubmit={form.onSubmit}>
        <input type="email" name="username" value={invite.email} autoComplete="username" readOnly hidden />
        <Field id={form.id} name="name" label="Your name" error={errors.name}>
          {(p) => <input {...register("name")} {...p} autoComplete="name" />}
        </Field>
        <Field
          id={form.id}
          name="password"
          label="Password"
          hint={`At least ${PASSWORD_MIN} characters.`}
          error={errors.password}
        >
          {(p) => <input {...register("password")} {...p} type="password" autoComplete="new-password" />}
        </Field>
        <Field id={form.id} name="confirm" label="Password again" error={errors.confirm}>
          {(p) => <input {...register("confirm")} {...p} type="password" autoComplete="new-password" />}
        </Field>
        <button type="submit" className="button primary">
          Create my account
        </button>
      </Form>
    </section>
  );
}
