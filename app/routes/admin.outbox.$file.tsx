import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { readOutboxMessage } from "~/delivery/outbox.server";
import { env } from "~/env.server";
import { AdminNav } from "~/organizers/admin-nav";
import { requireOrganizer } from "~/organizers/session.server";

export const meta: MetaFunction = () => [{ title: "Outbox message · Sincerely organizers" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request, "organizer");
  const message = await readOutboxMessage(env().OUTBOX_DIR, params.file ?? "");
  if (!message) throw new Response("No such message in the outbox", { status: 404 });
  return { organizer: { email: organizer.email, role: organizer.role }, message };
}

export default function OutboxMessage() {
  const { organizer, message } = useLoaderData<typeof loader>();
  return (
    <section>
      <AdminNav email={organizer.email} role={organizer.role} />
      <p>
        <Link to="/admin/outbox">← Outbox</Link>
      </p>
      <h1>{message.subject}</h1>
      <dl className="headers">
        <dt>From</dt>
        <dd>{message.from}</dd>
        <dt>To</dt>
        <dd>{message.to}</dd>
        {message.replyTo ? (
          <>
            <dt>Reply-To</dt>
            <dd>{message.replyTo}</dd>
          </>
        ) : null}
        <dt>Date</dt>
        <dd>{message.date}</dd>
        <dt>Message-ID</dt>
        <dd>
          <code>{message.messageId}</code>
        </dd>
      </dl>
      <div className="letter">
        <div className="letter-body">{message.text}</div>
      </div>
    </section>
  );
}
