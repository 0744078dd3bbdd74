// The team, for owners: who has an account and with which role, open invitations, and the form
// to invite someone. The team always keeps at least one owner.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db/client.server";
import { AdminNav } from "~/organizers/admin-nav";
import dashboardCss from "~/organizers/dashboard.css?url";
import { ErrorSummary, Field, formErrors, useSchemaForm } from "~/organizers/form-kit";
import { ROLE_DESCRIPTIONS, ROLES, type Role } from "~/organizers/roles";
import { requireOrganizer } from "~/organizers/session.server";
import { InviteSchema, RoleChangeSchema, type InviteInput } from "~/organizers/team-schema";
import {
  changeRole,
  inviteOrganizer,
  listTeam,
  removeOrganizer,
  revokeInvite,
  TeamError,
} from "~/organizers/team.server";
import { readForm } from "~/security/read-form.server";

export const meta: MetaFunction = () => [{ title: "Team · Sincerely organizers" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request, "owner");
  return { organizer: { id: organizer.id, email: organizer.email, role: organizer.role }, team: await listTeam(db()) };
}

type ActionData =
  | { intent: "invite"; errors: Record<string, string>; values?: Record<string, string> }
  | { intent: "invite"; invited: { email: string; url: string; expiresAt: string; emailed: boolean } }
  | { intent: "member"; error?: string; done?: string };

export async function action({ request }: ActionFunctionArgs) {
  const organizer = await requireOrganizer(request, "owner");
  const form = Object.fromEntries(await readForm(request)) as Record<string, string>;
  try {
    switch (form.intent) {
      case "invite": {
        const parsed = InviteSchema.safeParse(form);
        if (!parsed.success) {
          return data<ActionData>(
            { intent: "invite", errors: formErrors(parsed.error), values: form },
            { status: 400 },
          );
        }
        const invited = await inviteOrganizer(db(), organizer, parsed.data);
        return data<ActionData>({
          intent: "invite",
          invited: {
            email: parsed.data.email,
            url: invited.url,
            expiresAt: invited.expiresAt.toISOString(),
            emailed: invited.emailed,
          },
        });
      }
      case "role": {
        const parsed = RoleChangeSchema.safeParse(form);
        if (!parsed.success)
          return data<ActionData>({ intent: "member", error: "Choose a role from the list" }, { status: 400 });
        await changeRole(db(), organizer, parsed.data.organizerId, parsed.data.role as Role);
        return data<ActionData>({ intent: "member", done: "Role changed." });
      }
      case "remove":
        await removeOrganizer(db(), organizer, String(form.organizerId ?? ""));
        return data<ActionData>({ intent: "member", done: "Account removed." });
      case "revoke":
        await revokeInvite(db(), organizer, String(form.inviteId ?? ""));
        return data<ActionData>({ intent: "member", done: "Invitation withdrawn." });
      default:
        return data<ActionData>({ intent: "member", error: "Unknown action" }, { status: 400 });
    }
  } catch (error) {
    if (error instanceof TeamError) {
      const status = 409;
      return form.intent === "invite"
        ? data<ActionData>({ intent: "invite", errors: { email: error.message }, values: form }, { status })
        : data<ActionData>({ intent: "member", error: error.message }, { status });
    }
    throw error;
  }
}

const LABELS = { email: "Email", role: "Role" };

export default function Team() {
  const { organizer, team } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const inviteErrors = result && "errors" in result ? result.errors : undefined;
  const invited = result && "invited" in result ? result.invited : undefined;
  const member = result?.intent === "member" ? result : undefined;
  const form = useSchemaForm<InviteInput>(InviteSchema, {
    id: "invite",
    serverErrors: inviteErrors,
    defaults: { email: "", role: "organizer" },
  });
  const { register, errors } = form;
  return (
    <section>
      <AdminNav email={organizer.email} role={organizer.role} />
      <h1>Team</h1>
      {member?.error ? (
        <p className="error-summary" role="alert">
          {member.error}
        </p>
      ) : null}
      {member?.done ? <p role="status">{member.done}</p> : null}
      <section className="panel" aria-labelledby="members-heading">
        <h2 id="members-heading">Accounts</h2>
        <ul>
          {ROLES.map((r) => (
            <li key={r}>
              <strong>{r}</strong>: {ROLE_DESCRIPTIONS[r]}
            </li>
          ))}
        </ul>
        <table>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Remove</th>
            </tr>
          </thead>
          <tbody>
            {team.organizers.map((o) => (
              <tr key={o.id}>
                <td>{o.email}</td>
                <td>{o.name ?? ""}</td>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="role" />
                    <input type="hidden" name="organizerId" value={o.id} />
                    <label htmlFor={`role-${o.id}`} className="visually-hidden">
                      Role of {o.email}
                    </label>
                    <select id={`role-${o.id}`} name="role" defaultValue={o.role}>
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>{" "}
                    <button type="submit" className="button">
                      Change<span className="visually-hidden"> the role of {o.email}</span>
                    </button>
                  </Form>
                </td>
                <td>
                  {o.id === organizer.id ? (
                    "(you)"
                  ) : (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="organizerId" value={o.id} />
                      <button type="submit" className="button">
                        Remove<span className="visually-hidden"> {o.email}</span>
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="panel" aria-labelledby="invite-heading">
        <h2 id="invite-heading">Invite someone</h2>
        <p>They get a link by e-mail that works once, for 7 days, to choose their password.</p>
        {invited ? (
          <div role="status" className="notice">
            <p>
              Invitation for {invited.email} created
              {invited.emailed ? " and e-mailed" : " (the e-mail could not be sent)"}. You can also pass on this link;
              it is shown only now:
            </p>
            <p>
              <code data-testid="invite-link">{invited.url}</code>
            </p>
          </div>
        ) : null}
        <ErrorSummary errors={errors} labels={LABELS} id={form.id} summaryRef={form.summaryRef} />
        <Form method="post" noValidate ref={form.formRef} onSubmit={form.onSubmit}>
          <input type="hidden" name="intent" value="invite" />
          <Field id={form.id} name="email" label="Email" error={errors.email}>
            {(p) => <input {...register("email")} {...p} type="email" autoComplete="off" />}
          </Field>
          <Field id={form.id} name="role" label="Role" error={errors.role}>
            {(p) => (
              <select {...register("role")} {...p}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {r}: {ROLE_DESCRIPTIONS[r]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button type="submit" className="button primary">
            Send invitation
          </button>
        </Form>
      </section>

      {team.invites.length > 0 ? (
        <section className="panel" aria-labelledby="invites-heading">
          <h2 id="invites-heading">Open invitations</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Expires (UTC)</th>
                <th scope="col">Withdraw</th>
              </tr>
            </thead>
            <tbody>
              {team.invites.map((i) => (
                <tr key={i.id}>
                  <td>{i.email}</td>
                  <td>{i.role}</td>
                  <td>{i.expiresAt.replace("T", " ").slice(0, 16)}</td>
                  <td>
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="inviteId" value={i.id} />
                      <button type="submit" className="button">
                        Withdraw<span className="visually-hidden"> the invitation for {i.email}</span>
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </section>
  );
}
