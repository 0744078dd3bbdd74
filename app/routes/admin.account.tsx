// One's own account: who you are signed in as, and changing your password (which signs out
// every other browser).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db/client.server";
import { AdminNav } from "~/organizers/admin-nav";
import { ErrorSummary, Field, formErrors, useSchemaForm } from "~/organizers/form-kit";
import { ROLE_DESCRIPTIONS, isRole } from "~/organizers/roles";
import { currentSessionId, requireOrganizer } from "~/organizers/session.server";
import { PASSWORD_MIN, PasswordChangeSchema, type PasswordChangeInput } from "~/organizers/team-schema";
import { changePassword } from "~/organizers/team.server";
import { readForm } from "~/security/read-form.server";

export const meta: MetaFunction = () => [{ title: "Your account · Sincerely organizers" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request, "viewer");
  return { organizer: { email: organizer.email, role: organizer.role, name: organizer.name } };
}

export async function action({ request }: ActionFunctionArgs) {
  const organizer = await requireOrganizer(request, "viewer");
  const parsed = PasswordChangeSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return data({ errors: formErrors(parsed.error), done: false }, { status: 400 });
  const changed = await changePassword(db(), organizer, parsed.data, await currentSessionId(request));
  if (!changed) {
    return data({ errors: { current: "That is not your current password" }, done: false }, { status: 400 });
  }
  return { errors: {}, done: true };
}

const LABELS = { current: "Current password", password: "New password", confirm: "New password again" };

export default function Account() {
  const { organizer } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const form = useSchemaForm<PasswordChangeInput>(PasswordChangeSchema, {
    id: "password",
    serverErrors: result?.errors,
    defaults: { current: "", password: "", confirm: "" },
  });
  const { register, errors } = form;
  return (
    <section>
      <AdminNav email={organizer.email} role={organizer.role} />
      <h1>Your account</h1>
      <p>
        Signed in as {organizer.name ? `${organizer.name}, ` : ""}
        {organizer.email}, with the role <strong>{organizer.role}</strong>
        {isRole(organizer.role) ? ` (${ROLE_DESCRIPTIONS[organizer.role]})` : ""}.
      </p>
      <section className="panel narrow" aria-labelledby="password-heading">
        <h2 id="password-heading">Change your password</h2>
        {result?.done ? (
          <p role="status">Your password is changed. Every other browser signed in as you has been signed out.</p>
        ) : null}
        <ErrorSummary errors={errors} labels={LABELS} id={form.id} summaryRef={form.summaryRef} />
        <Form method="post" noValidate ref={form.formRef} onSubmit={form.onSubmit}>
          <input type="email" name="username" value={organizer.email} autoComplete="username" readOnly hidden />
          <Field id={form.id} name="current" label="Current password" error={errors.current}>
            {(p) => <input {...register("current")} {...p} type="password" autoComplete="current-password" />}
          </Field>
          <Field
            id={form.id}
            name="password"
            label="New password"
            hint={`At least ${PASSWORD_MIN} characters.`}
            error={errors.password}
          >
            {(p) => <input {...register("password")} {...p} type="password" autoComplete="new-password" />}
          </Field>
          <Field id={form.id} name="confirm" label="New password again" error={errors.confirm}>
            {(p) => <input {...register("confirm")} {...p} type="password" autoComplete="new-password" />}
          </Field>
          <button type="submit" className="button primary">
            Change password
          </button>
        </Form>
      </section>
    </section>
  );
}
