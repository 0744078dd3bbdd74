// The hand-delivery packet for one office, as a page to print: the letters, one per printed
// page, then the list of constituent signers. The PDF holds the same (and every letter).
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { recordAudit } from "~/audit/audit.server";
import { db } from "~/db/client.server";
import { findPacket, PACKET_PAGE_LETTERS, PACKET_PAGE_SIGNERS, packetPage } from "~/exports/packet.server";
import dashboardCss from "~/organizers/dashboard.css?url";
import { AdminNav } from "~/organizers/admin-nav";
import { requireOrganizer } from "~/organizers/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Packet for ${data.office.holder} · ${data.campaign.title}` : "Packet · Sincerely organizers" },
];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardCss }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request, "organizer");
  const packet = await findPacket(db(), params.slug ?? "", params.officeKey ?? "");
  if (!packet) throw new Response("No such campaign or office", { status: 404 });
  const { letters, signers } = await packetPage(db(), packet);
  await recordAudit(
    db(),
    organizer,
    "export.packet",
    { campaign: packet.campaign.slug, office: packet.office.key, format: "html" },
    letters.length,
  );
  return {
    organizer: { email: organizer.email, role: organizer.role },
    campaign: packet.campaign,
    office: packet.office,
    count: packet.count,
    letters,
    signers,
    limits: { letters: PACKET_PAGE_LETTERS, signers: PACKET_PAGE_SIGNERS },
  };
}

export default function Packet() {
  const { organizer, campaign, office, count, letters, signers, limits } = useLoaderData<typeof loader>();
  const fmt = new Intl.NumberFormat("en-US");
  return (
    <section className="packet">
      <AdminNav email={organizer.email} role={organizer.role} />
      <p className="no-print">
        <Link to={`/admin/campaigns/${campaign.slug}`}>← {campaign.title}</Link>
      </p>
      <h1>Letters to {office.holder}</h1>
      <p>
        {campaign.title}: {fmt.format(count)} letter{count === 1 ? "" : "s"} from constituents who confirmed their
        signature.
        {office.postalAddress ? ` For delivery to ${office.postalAddress}.` : ""}
      </p>
      <p className="no-print">
        <a href={`/admin/campaigns/${campaign.slug}/packet/${office.key}/pdf`} className="button" download>
          Download as PDF
        </a>{" "}
        or print this page (each letter starts a new page).
        {count > letters.length
          ? ` This page shows the first ${fmt.format(limits.letters)} letters; the PDF holds all ${fmt.format(count)}.`
          : ""}
      </p>
      <section aria-labelledby="signers-heading">
        <h2 id="signers-heading">Constituent signers ({fmt.format(count)})</h2>
        {count > signers.length ? <p>The first {fmt.format(limits.signers)} by name; the PDF lists them all.</p> : null}
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">City</th>
              <th scope="col">ZIP</th>
            </tr>
          </thead>
          <tbody>
            {signers.map((s) => (
              <tr key={s.id}>
                <td>
                  {s.lastName}, {s.firstName}
                </td>
                <td>
                  {s.city}, {s.state}
                </td>
                <td>{s.zip}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="letters-heading">
        <h2 id="letters-heading">The letters</h2>
        {letters.map((l) => (
          <article key={l.id} className="letter" aria-label={l.subject}>
            <div className="letter-body">{l.text}</div>
          </article>
        ))}
      </section>
    </section>
  );
}
