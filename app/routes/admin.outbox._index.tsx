// The outbox: what the app "sent" while no SMTP server is configured.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listOutbox } from "~/delivery/outbox.server";
import { env } from "~/env.server";
import { AdminNav } from "~/organizers/admin-nav";
import { requireOrganizer } from "~/organizers/session.server";

export const meta: MetaFunction = () => [{ title: "Outbox · Sincerely organizers" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request, "organizer");
  const e = env();
  return {
    organizer: { email: organizer.email, role: organizer.role },
    smtp: Boolean(e.SMTP_URL),
    outbox: await listOutbox(e.OUTBOX_DIR),
  };
}

export default function Outbox() {
  const { organizer, smtp, outbox } = useLoaderData<typeof loader>();
  return (
    <section>
      <AdminNav email={organizer.email} role={organizer.role} />
      <h1>Outbox</h1>
      <p>
        {smtp
          ? "An SMTP server is configured, so new e-mails go out through it; this folder keeps what was written before."
          : "No SMTP server is configured (SMTP_URL is unset), so every e-mail is written here instead of being sent."}{" "}
        {outbox.total} message{outbox.total === 1 ? "" : "s"}
        {outbox.total > outbox.entries.length ? `, the newest ${outbox.entries.length} shown` : ""}.
      </p>
      {outbox.entries.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
            </tr>
          </thead>
          <tbody>
            {outbox.entries.map((m) => (
              <tr key={m.file}>
                <td>{new Date(m.date).toLocaleString("en-US", { timeZone: "UTC" })} UTC</td>
                <td>{m.to}</td>
                <td>
                  <Link to={`/admin/outbox/${m.file}`}>{m.subject}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
