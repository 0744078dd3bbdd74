// The organizers' sign-in form. Works without JavaScript.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { LoginSchema } from "~/organizers/login-schema";
import { getOrganizer, login, safeRedirect, startSession } from "~/organizers/session.server";
import { clientIpHash, emailKey, limits, retryAfterHeaders, tooManyMessage } from "~/security/request-guards.server";
import { limitHeaders } from "~/security/limit-headers";
import { readForm } from "~/security/read-form.server";

export const headers = limitHeaders;

export const meta: MetaFunction = () => [
  { title: "Sign in · Sincerely organizers" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOrganizer(request)) throw redirect("/admin");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = Object.fromEntries(await readForm(request));
  const parsed = LoginSchema.safeParse(form);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return data({ errors, email: String(form.email ?? "") }, { status: 400 });
  }
  // Throttled on failures only: too many wrong passwords for one account (from anywhere), or
  // from one address (whatever the account), and the form is refused until the window passes.
  const failures = {
    loginFailuresPerEmail: emailKey(parsed.data.email),
    loginFailuresPerIp: clientIpHash(context),
  };
  const wait = await limits().blocked(failures);
  if (wait !== null) {
    return data(
      { errors: { form: tooManyMessage(wait) } as Record<string, string>, email: parsed.data.email },
      { status: 429, headers: retryAfterHeaders(wait) },
    );
  }
  const organizer = await login(parsed.data.email, parsed.data.password);
  if (organizer) await limits().reset("loginFailuresPerEmail", failures.loginFailuresPerEmail);
  else await limits().consume(failures);
  if (!organizer) {
    return data(
      { errors: { form: "That e-mail and password do not match an organizer account." }, email: parsed.data.email },
      { status: 400 },
    );
  }
  return startSession(organizer, safeRedirect(parsed.data.redirectTo));
}

export default function AdminLogin() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const submitting = useNavigation().state === "submitting";
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  return (
    <section className="panel narrow">
      <h1>Organizers: sign in</h1>
      {errors.form ? (
        <p className="error-summary" role="alert">
          {errors.form}
        </p>
      ) : null}
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/admin"} />
        <div className="field">
          <label htmlFor="login-email">Email</label>
          <input
            id="login-email"
            name="email"
            type="email"
            autoComplete="username"
            defaultValue={result?.email}
            aria-invalid={errors.email ? true : undefined}
            aria-describedby={errors.email ? "login-email-error" : undefined}
          />
          {errors.email ? (
            <p className="field-error" id="login-email-error">
              {errors.email}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="login-password">Password</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            aria-invalid={errors.password ? true : undefined}
            aria-describedby={errors.password ? "login-password-error" : undefined}
          />
          {errors.password ? (
            <p className="field-error" id="login-password-error">
              {errors.password}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button primary" disabled={submitting}>
          {submitting ? "Signing in…" : "Sign in"}
        </button>
      </Form>
    </section>
  );
}
