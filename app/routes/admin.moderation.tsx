// The moderation queue: own words held at signing, with what triggered the hold highlighted.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db/client.server";
import { moderateSignature, ModerationError, moderationQueue } from "~/moderation/moderation.server";
import { highlight } from "~/moderation/screen";
import { AdminNav } from "~/organizers/admin-nav";
import { requireOrganizer } from "~/organizers/session.server";
import { readForm } from "~/security/read-form.server";

export const meta: MetaFunction = () => [{ title: "Moderation · Sincerely organizers" }];

export async function loader({ request }: LoaderFunctionArgs) {
  // Supporters' own words and names: organizers only.
  const organizer = await requireOrganizer(request, "organizer");
  const campaign = new URL(request.url).searchParams.get("campaign") ?? undefined;
  return {
    organizer: { email: organizer.email, role: organizer.role },
    queue: await moderationQueue(db(), { campaignSlug: campaign }),
  };
}

type ActionData = { ok: true; message: string } | { ok: false; message: string };

export async function action({ request }: ActionFunctionArgs) {
  const organizer = await requireOrganizer(request, "organizer");
  const form = await readForm(request);
  const decision = form.get("decision");
  const signatureId = String(form.get("signatureId") ?? "");
  if (decision !== "approve" && decision !== "reject") {
    return data<ActionData>({ ok: false, message: "Choose approve or reject." }, { status: 400 });
  }
  try {
    const { released, cancelled } = await moderateSignature(db(), signatureId, decision, organizer);
    const message =
      decision === "approve"
        ? `Approved. ${released} held letter${released === 1 ? "" : "s"} went back to the queue.`
        : `Rejected. ${cancelled} letter${cancelled === 1 ? " was" : "s were"} cancelled and will never be sent.`;
    return data<ActionData>({ ok: true, message });
  } catch (error) {
    if (error instanceof ModerationError)
      return data<ActionData>({ ok: false, message: error.message }, { status: 409 });
    throw error;
  }
}

export default function Moderation() {
  const { organizer, queue } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const canDecide = organizer.role !== "viewer";
  return (
    <section>
      <AdminNav email={organizer.email} role={organizer.role} />
      <h1>Moderation</h1>
      <p>
        Signatures whose own words look abusive (listed words, links, shouting) wait here; their letters go only once
        approved. Rejected letters are never sent and the signature is not counted.
      </p>
      {result ? (
        <p role={result.ok ? "status" : "alert"} className={result.ok ? "notice" : "field-error"}>
          {result.message}
        </p>
      ) : null}
      {queue.length === 0 ? (
        <p>Nothing is waiting for moderation.</p>
      ) : (
        queue.map((s) => (
          <article key={s.id} className="panel" aria-labelledby={`mod-${s.id}`} data-testid="moderation-item">
            <h2 id={`mod-${s.id}`}>
              {s.firstName} {s.lastName}, {s.city}, {s.state}
            </h2>
            <p className="hint">
              {s.campaign.title} · signed {new Date(s.createdAt).toISOString().slice(0, 16).replace("T", " ")} UTC ·{" "}
              {s.status === "confirmed" ? "confirmed" : "not yet confirmed"} · {s._count.letters} letter
              {s._count.letters === 1 ? "" : "s"}
            </p>
            <p>
              <strong>Why:</strong> {s.moderationReason}
            </p>
            <blockquote className="own-words">
              {highlight(s.message ?? "", s.matches).map((piece, i) =>
                piece.match ? <mark key={i}>{piece.text}</mark> : <span key={i}>{piece.text}</span>,
              )}
            </blockquote>
            {canDecide ? (
              <div className="row">
                <Form method="post">
                  <input type="hidden" name="signatureId" value={s.id} />
                  <button type="submit" name="decision" value="approve" className="button">
                    Approve {s.firstName} {s.lastName}
                  </button>
                </Form>
                <Form method="post">
                  <input type="hidden" name="signatureId" value={s.id} />
                  <button type="submit" name="decision" value="reject" className="button danger">
                    Reject {s.firstName} {s.lastName}
                  </button>
                </Form>
              </div>
            ) : null}
          </article>
        ))
      )}
    </section>
  );
}
