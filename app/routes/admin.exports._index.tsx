// The exports page: the signature CSV with its filter. The filter form is a GET to this page;
// a valid filter is redirected to the CSV (the browser downloads it and stays here), an invalid
// one comes back with the errors beside the fields.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { db } from "~/db/client.server";
import {
  EXPORT_STATUSES,
  EXPORT_STATUS_LABELS,
  filterErrors,
  filterQuery,
  SignatureFilterSchema,
  type SignatureFilterInput,
} from "~/exports/signature-filter";
import { AdminNav } from "~/organizers/admin-nav";
import dashboardCss from "~/organizers/dashboard.css?url";
import { ErrorSummary, Field, useSchemaForm } from "~/organizers/form-kit";
import { requireOrganizer } from "~/organizers/session.server";
import { US_STATES } from "~/offices/states";

export const meta: MetaFunction = () => [{ title: "Exports · Sincerely organizers" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request, "organizer");
  const params = Object.fromEntries(new URL(request.url).searchParams);
  let errors: Record<string, string> = {};
  if (params.download !== undefined) {
    const parsed = SignatureFilterSchema.safeParse(params);
    if (parsed.success) throw redirect(`/admin/exports/signatures.csv?${filterQuery(parsed.data)}`);
    errors = filterErrors(parsed.error);
  }
  const campaigns = await db().campaign.findMany({
    orderBy: { createdAt: "desc" },
    select: { slug: true, title: true, confirmedCount: true, pendingCount: true },
  });
  return {
    organizer: { email: organizer.email, role: organizer.role },
    campaigns,
    values: {
      campaign: params.campaign ?? campaigns[0]?.slug ?? "",
      status: params.status ?? "all",
      state: params.state ?? "",
      from: params.from ?? "",
      to: params.to ?? "",
    },
    errors,
  };
}

const LABELS = { campaign: "Campaign", status: "Status", state: "State", from: "Signed from", to: "Signed until" };

export default function Exports() {
  const { organizer, campaigns, values, errors: serverErrors } = useLoaderData<typeof loader>();
  const form = useSchemaForm<SignatureFilterInput>(SignatureFilterSchema, {
    id: "export",
    serverErrors,
    defaults: values as SignatureFilterInput,
    submitWith: "navigate",
  });
  const { register, errors } = form;
  const fmt = new Intl.NumberFormat("en-US");
  return (
    <section>
      <AdminNav email={organizer.email} role={organizer.role} />
      <h1>Exports</h1>
      <section className="panel" aria-labelledby="csv-heading">
        <h2 id="csv-heading">Signatures as CSV</h2>
        <p>
          A spreadsheet of the signatures you choose, for reporting, hand delivery or your CRM. Signatures whose writers
          asked for their data to be erased are never included. Every export is recorded in the audit log.
        </p>
        <ErrorSummary errors={errors} labels={LABELS} id={form.id} summaryRef={form.summaryRef} />
        <Form
          method="get"
          reloadDocument
          noValidate
          ref={form.formRef}
          onSubmit={form.onSubmit}
          className="filter-form"
        >
          <Field id={form.id} name="campaign" label="Campaign" error={errors.campaign}>
            {(p) => (
              <select {...register("campaign")} {...p} defaultValue={values.campaign}>
                {campaigns.map((c) => (
                  <option key={c.slug} value={c.slug}>
                    {c.title} ({fmt.format(c.confirmedCount)} confirmed, {fmt.format(c.pendingCount)} pending)
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id={form.id} name="status" label="Status" error={errors.status}>
            {(p) => (
              <select {...register("status")} {...p} defaultValue={values.status}>
                {EXPORT_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {EXPORT_STATUS_LABELS[s]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id={form.id} name="state" label="State" error={errors.state}>
            {(p) => (
              <select {...register("state")} {...p} defaultValue={values.state}>
                <option value="">All states</option>
                {US_STATES.map((s) => (
                  <option key={s.code} value={s.code}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id={form.id} name="from" label="Signed from" hint="YYYY-MM-DD, UTC" error={errors.from}>
            {(p) => <input {...register("from")} {...p} type="date" defaultValue={values.from} />}
          </Field>
          <Field id={form.id} name="to" label="Signed until" hint="YYYY-MM-DD, included" error={errors.to}>
            {(p) => <input {...register("to")} {...p} type="date" defaultValue={values.to} />}
          </Field>
          <input type="hidden" name="download" value="1" />
          <div>
            <button type="submit" className="button primary">
              Download CSV
            </button>
          </div>
        </Form>
      </section>
      <section className="panel" aria-labelledby="packet-heading">
        <h2 id="packet-heading">Hand-delivery packets</h2>
        <p>
          Each campaign&apos;s dashboard lists its offices with a printable packet per office (the letters and the list
          of constituent signers, as a page to print and as a PDF):
        </p>
        <ul>
          {campaigns.map((c) => (
            <li key={c.slug}>
              <Link to={`/admin/campaigns/${c.slug}#offices-heading`}>{c.title}</Link>
            </li>
          ))}
        </ul>
      </section>
    </section>
  );
}
