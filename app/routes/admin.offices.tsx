// Offices: browse and filter, set an e-mail address, switch an office off and on, import
// addresses from CSV, add an extra office for campaigns to name.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { db } from "~/db/client.server";
import { AdminNav } from "~/organizers/admin-nav";
import { requireOrganizer } from "~/organizers/session.server";
import { officeHolder } from "~/offices/office-label";
import { OfficeNotFoundError, updateOffice } from "~/targets/offices.server";
import { CHAMBER_NAMES, CHAMBERS } from "~/offices/chambers";
import {
  createExtraOffice,
  ExtraOfficeSchema,
  importOfficeEmails,
  listOffices,
  OfficeEmailSchema,
  parseOfficeFilter,
} from "~/targets/offices-admin.server";
import { US_STATES } from "~/offices/states";
import { readForm } from "~/security/read-form.server";

export const meta: MetaFunction = () => [{ title: "Offices · Sincerely organizers" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request, "viewer");
  const filter = parseOfficeFilter(new URL(request.url).searchParams);
  return {
    organizer: { email: organizer.email, role: organizer.role },
    filter,
    list: await listOffices(db(), filter),
  };
}

type ActionData =
  | { ok: true; message: string }
  | { ok: false; message: string; errors?: string[]; field?: Record<string, string>; key?: string };

export async function action({ request }: ActionFunctionArgs) {
  await requireOrganizer(request, "organizer");
  const form = await readForm(request);
  try {
    return await officeAction(form);
  } catch (error) {
    // A key that names no office (a stale page, a hand-made post) is the sender's mistake, not ours.
    if (error instanceof OfficeNotFoundError) {
      return data<ActionData>({ ok: false, message: error.message }, { status: 404 });
    }
    throw error;
  }
}

async function officeAction(form: FormData) {
  const intent = form.get("intent");

  if (intent === "email") {
    const parsed = OfficeEmailSchema.safeParse({ key: form.get("key"), email: form.get("email") ?? "" });
    if (!parsed.success) {
      return data<ActionData>(
        { ok: false, message: parsed.error.issues[0].message, key: String(form.get("key") ?? "") },
        { status: 400 },
      );
    }
    const { office, released } = await updateOffice(db(), parsed.data.key, { email: parsed.data.email });
    return data<ActionData>({
      ok: true,
      message: `${officeHolder(office)}: ${office.email ? `letters go to ${office.email}` : "no e-mail address"}.${released ? ` ${released} held letter${released === 1 ? "" : "s"} went back to the queue.` : ""}`,
    });
  }

  if (intent === "activate" || intent === "deactivate") {
    const { office, released } = await updateOffice(db(), String(form.get("key") ?? ""), {
      active: intent === "activate",
    });
    return data<ActionData>({
      ok: true,
      message: `${officeHolder(office)} is ${office.active ? "active" : "inactive: its letters are held"}.${released ? ` ${released} held letter${released === 1 ? "" : "s"} went back to the queue.` : ""}`,
    });
  }

  if (intent === "import") {
    const file = form.get("csv");
    const pasted = String(form.get("csvText") ?? "");
    // An uploaded file is a Blob (whichever fetch implementation the server runs on).
    const upload = typeof file === "object" && file !== null && file.size > 0 ? file : null;
    const text = upload ? await upload.text() : pasted;
    if (!text.trim()) {
      return data<ActionData>({ ok: false, message: "Choose a CSV file or paste its text." }, { status: 400 });
    }
    const result = await importOfficeEmails(db(), text);
    if (!result.ok) {
      return data<ActionData>(
        { ok: false, message: "Nothing was imported: the file has problems.", errors: result.errors },
        { status: 400 },
      );
    }
    return data<ActionData>({
      ok: true,
      message: `Imported ${result.rows} row${result.rows === 1 ? "" : "s"}: ${result.changed} address${result.changed === 1 ? "" : "es"} changed, ${result.unchanged} unchanged; ${result.released} held letter${result.released === 1 ? "" : "s"} went back to the queue.`,
    });
  }

  if (intent === "create") {
    const parsed = ExtraOfficeSchema.safeParse(Object.fromEntries(form));
    if (!parsed.success) {
      const field: Record<string, string> = {};
      for (const issue of parsed.error.issues) field[String(issue.path[0])] ??= issue.message;
      return data<ActionData>({ ok: false, message: "The office was not added.", field }, { status: 400 });
    }
    const office = await createExtraOffice(db(), parsed.data);
    return data<ActionData>({
      ok: true,
      message: `Added ${officeHolder(office)} (key ${office.key}); campaigns can now name it as an extra office.`,
    });
  }
  return data<ActionData>({ ok: false, message: "Unknown action." }, { status: 400 });
}

export default function Offices() {
  const { organizer, filter, list } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const canEdit = organizer.role !== "viewer";
  const fieldErrors = result && !result.ok ? (result.field ?? {}) : {};
  const pageLink = (page: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(page));
    return `?${next}`;
  };
  return (
    <section>
      <AdminNav email={organizer.email} role={organizer.role} />
      <h1>Offices</h1>
      {result ? (
        result.ok ? (
          <p role="status" className="notice">
            {result.message}
          </p>
        ) : (
          <div className="error-summary" role="alert" tabIndex={-1}>
            <h2>{result.message}</h2>
            {result.errors?.length ? (
              <ul>
                {result.errors.map((e) => (
                  <li key={e}>{e}</li>
                ))}
              </ul>
            ) : null}
          </div>
        )
      ) : null}

      <Form method="get" className="row filters">
        <div className="field">
          <label htmlFor="o-chamber">Chamber</label>
          <select id="o-chamber" name="chamber" defaultValue={filter.chamber ?? ""}>
            <option value="">All</option>
            {CHAMBERS.map((c) => (
              <option key={c} value={c}>
                {CHAMBER_NAMES[c]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="o-state">State</label>
          <select id="o-state" name="state" defaultValue={filter.state ?? ""}>
            <option value="">All</option>
            {US_STATES.map((s) => (
              <option key={s.code} value={s.code}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="o-show">Show</label>
          <select id="o-show" name="show" defaultValue={filter.show ?? ""}>
            <option value="">All offices</option>
            <option value="active">Active</option>
            <option value="inactive">Inactive</option>
            <option value="no-email">Without an e-mail address</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="o-q">Name, key or e-mail</label>
          <input id="o-q" name="q" defaultValue={filter.q ?? ""} />
        </div>
        <button type="submit" className="button">
          Filter
        </button>
      </Form>
      <p>
        {list.total} office{list.total === 1 ? "" : "s"}
        {list.pages > 1 ? `, page ${list.page} of ${list.pages}` : ""}.
      </p>
      <table className="offices">
        <thead>
          <tr>
            <th scope="col">Office</th>
            <th scope="col">Seat</th>
            <th scope="col">E-mail address</th>
            <th scope="col">Held letters</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {list.offices.map((o) => (
            <tr key={o.id} data-testid={`office-${o.key}`}>
              <th scope="row">
                {officeHolder(o)}
                <br />
                <span className="hint">{o.key}</span>
              </th>
              <td>
                {CHAMBER_NAMES[o.chamber] ?? o.chamber}
                {o.state ? ` ${o.state}` : ""}
                {o.district !== null ? `-${o.district}` : ""}
              </td>
              <td>
                {canEdit ? (
                  <Form method="post" className="row">
                    <input type="hidden" name="intent" value="email" />
                    <input type="hidden" name="key" value={o.key} />
                    <label className="visually-hidden" htmlFor={`email-${o.key}`}>
                      E-mail address of {officeHolder(o)}
                    </label>
                    <input id={`email-${o.key}`} name="email" type="email" defaultValue={o.email ?? ""} />
                    <button type="submit" className="button secondary">
                      Save
                    </button>
                  </Form>
                ) : (
                  (o.email ?? "none")
                )}
                {result && !result.ok && result.key === o.key ? <p className="field-error">{result.message}</p> : null}
              </td>
              <td>{o.held}</td>
              <td>
                {o.active ? "Active" : "Inactive"}
                {canEdit ? (
                  <Form method="post">
                    <input type="hidden" name="key" value={o.key} />
                    <button
                      type="submit"
                      name="intent"
                      value={o.active ? "deactivate" : "activate"}
                      className="button secondary"
                    >
                      {o.active ? "Deactivate" : "Reactivate"}
                    </button>
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.pages > 1 ? (
        <nav aria-label="Pages" className="row">
          {list.page > 1 ? <Link to={pageLink(list.page - 1)}>Previous page</Link> : null}
          {list.page < list.pages ? <Link to={pageLink(list.page + 1)}>Next page</Link> : null}
        </nav>
      ) : null}

      {canEdit ? (
        <>
          <section className="panel" aria-labelledby="import-heading">
            <h2 id="import-heading">Import e-mail addresses (CSV)</h2>
            <p>
              A header row with an office column (<code>key</code> or <code>bioguide_id</code>; <code>WH</code> for the
              White House) and <code>email</code>. Every row is checked first: one bad row and nothing changes. Held
              letters of offices that get an address go out.
            </p>
            <Form method="post" encType="multipart/form-data">
              <input type="hidden" name="intent" value="import" />
              <div className="field">
                <label htmlFor="import-csv">CSV file</label>
                <input id="import-csv" name="csv" type="file" accept=".csv,text/csv" />
              </div>
              <div className="field">
                <label htmlFor="import-text">Or paste the CSV</label>
                <textarea
                  id="import-text"
                  name="csvText"
                  rows={4}
                  placeholder={"bioguide_id,email\nC000127,staff@example.gov"}
                />
              </div>
              <button type="submit" className="button">
                Import addresses
              </button>
            </Form>
          </section>
          <section className="panel" aria-labelledby="create-heading">
            <h2 id="create-heading">Add an extra office</h2>
            <p>An office campaigns can write to besides the supporter&apos;s own: an agency, a committee.</p>
            <Form method="post">
              <input type="hidden" name="intent" value="create" />
              {(
                [
                  ["title", "Title (as in “Dear Secretary …”)"],
                  ["fullName", "Full name (person or office)"],
                  ["lastName", "Name after the title in the salutation"],
                  ["email", "E-mail address (optional)"],
                ] as const
              ).map(([name, label]) => (
                <div className="field" key={name}>
                  <label htmlFor={`new-${name}`}>{label}</label>
                  <input
                    id={`new-${name}`}
                    name={name}
                    type={name === "email" ? "email" : "text"}
                    aria-invalid={fieldErrors[name] ? true : undefined}
                    aria-describedby={fieldErrors[name] ? `new-${name}-error` : undefined}
                  />
                  {fieldErrors[name] ? (
                    <p className="field-error" id={`new-${name}-error`}>
                      {fieldErrors[name]}
                    </p>
                  ) : null}
                </div>
              ))}
              <button type="submit" className="button">
                Add the office
              </button>
            </Form>
          </section>
        </>
      ) : null}
    </section>
  );
}
