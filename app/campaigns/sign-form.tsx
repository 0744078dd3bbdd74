// The sign form. Works without JavaScript (a plain POST, errors rendered by the server);
// with JavaScript, react-hook-form checks the same zod schema before anything is sent.
import { zodResolver } from "@hookform/resolvers/zod";
import { Form, useFetcher, useNavigation, useSubmit } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import type { LetterPoint } from "~/letters/campaigns/types";
import { US_STATES } from "~/offices/states";
import type { DistrictCandidate } from "~/targets/resolve.server";
import { MESSAGE_MAX, SIGN_FIELDS, SignSchema, type FieldErrors, type SignInput, type SignValues } from "./sign-schema";
import type { SignResult } from "./sign.server";

export type SignActionData =
  | {
      status: "invalid";
      errors: FieldErrors;
      candidates?: DistrictCandidate[];
      values: Record<string, string | string[]>;
    }
  | (Extract<SignResult, { status: "signed" }> & { count: number });

const LABELS: Record<string, string> = {
  firstName: "First name",
  lastName: "Last name",
  email: "Email",
  street: "Street address",
  city: "City",
  state: "State",
  zip: "ZIP code",
  district: "Your representative",
  points: "Points",
  message: "Your message",
  form: "Form",
};

export function SignForm({ points, actionData }: { points: LetterPoint[]; actionData: SignActionData | undefined }) {
  const invalid = actionData?.status === "invalid" ? actionData : undefined;
  const posted = invalid?.values ?? {};
  const postedString = (k: string) => (typeof posted[k] === "string" ? (posted[k] as string) : undefined);
  const postedPoints = invalid ? [posted.points ?? []].flat() : points.map((p) => p.key);

  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const submit = useSubmit();
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting";
  const lookup = useFetcher<{ candidates: DistrictCandidate[] }>();

  const {
    register,
    handleSubmit,
    watch,
    formState: { errors: clientErrors, submitCount },
  } = useForm<SignInput, unknown, SignValues>({
    resolver: zodResolver(SignSchema),
    mode: "onTouched",
    defaultValues: {
      firstName: postedString("firstName") ?? "",
      lastName: postedString("lastName") ?? "",
      email: postedString("email") ?? "",
      street: postedString("street") ?? "",
      city: postedString("city") ?? "",
      state: postedString("state") ?? "",
      zip: postedString("zip") ?? "",
      district: postedString("district") ?? "",
      points: postedPoints as string[],
      message: postedString("message") ?? "",
      consent: posted.consent === "on",
      website: "",
    },
  });

  // Ask for the representative as soon as a ZIP that spans several districts is typed.
  const zip = watch("zip");
  const state = watch("state");
  useEffect(() => {
    if (typeof zip === "string" && /^\d{5}(-\d{4})?$/.test(zip.trim())) {
      const params = new URLSearchParams({ zip: zip.trim().slice(0, 5), state: String(state ?? "") });
      lookup.load(`/api/districts?${params}`);
    }
    // lookup is stable enough; re-running on its identity would loop.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [zip, state]);

  // The server's answer describes the form as it was posted: once a field is edited, its
  // server error is stale (and a new ZIP or state makes the district choice stale too).
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => setEdited(new Set()), [actionData]);
  useEffect(() => {
    const subscription = watch((_values, { name }) => {
      if (name) setEdited((prev) => (prev.has(name) ? prev : new Set(prev).add(name)));
    });
    return () => subscription.unsubscribe();
  }, [watch]);
  const addressEdited = edited.has("zip") || edited.has("state");

  const candidates =
    (addressEdited ? undefined : invalid?.candidates) ??
    (lookup.data && lookup.data.candidates.length > 1 ? lookup.data.candidates : undefined);

  const serverErrors: FieldErrors = { ...invalid?.errors };
  for (const field of edited) delete serverErrors[field as keyof FieldErrors];
  if (addressEdited) delete serverErrors.district;
  const errors: FieldErrors = {};
  for (const field of [...SIGN_FIELDS, "form"] as const) {
    const clientMessage = field === "form" ? undefined : clientErrors[field]?.message;
    const message = clientMessage ?? serverErrors[field];
    if (message) errors[field] = String(message);
  }
  const errorList = Object.entries(errors);

  useEffect(() => {
    if (invalid || submitCount > 0) summaryRef.current?.focus();
  }, [invalid, submitCount]);

  const fieldProps = (name: (typeof SIGN_FIELDS)[number]) => ({
    id: `sign-${name}`,
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `sign-${name}-error` : undefined,
  });
  const fieldError = (name: (typeof SIGN_FIELDS)[number]) =>
    errors[name] ? (
      <p className="field-error" id={`sign-${name}-error`}>
        {errors[name]}
      </p>
    ) : null;

  return (
    <Form
      method="post"
      ref={formRef}
      noValidate
      onSubmit={(event) => {
        void handleSubmit(() => submit(formRef.current, { method: "post" }))(event);
      }}
    >
      {errorList.length > 0 ? (
        <div className="error-summary" role="alert" tabIndex={-1} ref={summaryRef}>
          <h3>Please correct {errorList.length === 1 ? "this" : "these"} before signing:</h3>
          <ul>
            {errorList.map(([field, message]) => (
              <li key={field}>
                {field === "form" ? message : <a href={`#sign-${field}`}>{`${LABELS[field]}: ${message}`}</a>}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <div className="row">
        <div className="field">
          <label htmlFor="sign-firstName">First name</label>
          <input
            {...register("firstName")}
            {...fieldProps("firstName")}
            autoComplete="given-name"
            maxLength={80}
            defaultValue={postedString("firstName")}
          />
          {fieldError("firstName")}
        </div>
        <div className="field">
          <label htmlFor="sign-lastName">Last name</label>
          <input
            {...register("lastName")}
            {...fieldProps("lastName")}
            autoComplete="family-name"
            maxLength={80}
            defaultValue={postedString("lastName")}
          />
          {fieldError("lastName")}
        </div>
      </div>
      <div className="field">
        <label htmlFor="sign-email">Email</label>
        <input
          {...register("email")}
          {...fieldProps("email")}
          type="email"
          autoComplete="email"
          maxLength={254}
          defaultValue={postedString("email")}
        />
        <p className="hint">We send one link to this address; your letters go only after you click it.</p>
        {fieldError("email")}
      </div>
      <div className="field">
        <label htmlFor="sign-street">Street address</label>
        <input
          {...register("street")}
          {...fieldProps("street")}
          autoComplete="street-address"
          maxLength={200}
          defaultValue={postedString("street")}
        />
        {fieldError("street")}
      </div>
      <div className="row">
        <div className="field">
          <label htmlFor="sign-city">City</label>
          <input
            {...register("city")}
            {...fieldProps("city")}
            autoComplete="address-level2"
            maxLength={100}
            defaultValue={postedString("city")}
          />
          {fieldError("city")}
        </div>
        <div className="field">
          <label htmlFor="sign-state">State</label>
          <select
            {...register("state")}
            {...fieldProps("state")}
            autoComplete="address-level1"
            defaultValue={postedString("state") ?? ""}
          >
            <option value="">Choose…</option>
            {US_STATES.map((s) => (
              <option key={s.code} value={s.code}>
                {s.name}
              </option>
            ))}
          </select>
          {fieldError("state")}
        </div>
        <div className="field zip">
          <label htmlFor="sign-zip">ZIP code</label>
          <input
            {...register("zip")}
            {...fieldProps("zip")}
            inputMode="numeric"
            autoComplete="postal-code"
            maxLength={10}
            defaultValue={postedString("zip")}
          />
          {fieldError("zip")}
        </div>
      </div>

      {candidates && candidates.length > 0 ? (
        <fieldset className="field district" aria-describedby={errors.district ? "sign-district-error" : undefined}>
          <legend id="sign-district">
            Your address is in more than one congressional district. Who represents you?
          </legend>
          {candidates.map((c) => (
            <label key={c.district} className="choice">
              <input
                type="radio"
                {...register("district")}
                aria-invalid={errors.district ? true : undefined}
                value={String(c.district)}
                defaultChecked={postedString("district") === String(c.district)}
              />{" "}
              {c.label}
            </label>
          ))}
          <p className="hint">
            Not sure? The House&apos;s &ldquo;Find your representative&rdquo; service matches your full street address.
          </p>
          {fieldError("district")}
        </fieldset>
      ) : null}

      <fieldset
        className="field points"
        id="sign-points"
        aria-describedby={errors.points ? "sign-points-error" : undefined}
      >
        <legend>What your letters ask for (untick any you would rather leave out)</legend>
        {points.map((p) => (
          <div key={p.key} className="choice">
            <input
              type="checkbox"
              {...register("points")}
              id={`sign-point-${p.key}`}
              value={p.key}
              defaultChecked={postedPoints.includes(p.key)}
              aria-describedby={`sign-point-${p.key}-summary`}
            />
            <div>
              <label htmlFor={`sign-point-${p.key}`}>{p.label}</label>
              <p className="hint" id={`sign-point-${p.key}-summary`}>
                {p.summary}
              </p>
            </div>
          </div>
        ))}
        {fieldError("points")}
      </fieldset>

      <div className="field">
        <label htmlFor="sign-message">Your message, in your own words (optional)</label>
        <textarea
          {...register("message")}
          {...fieldProps("message")}
          rows={5}
          maxLength={MESSAGE_MAX}
          defaultValue={postedString("message")}
        />
        <p className="hint">A sentence about why this matters to you makes your letter count for more.</p>
        {fieldError("message")}
      </div>

      <label className="choice consent">
        <input type="checkbox" {...register("consent")} defaultChecked={posted.consent === "on"} /> Keep me updated
        about this campaign by e-mail
      </label>

      <div className="honeypot" aria-hidden="true">
        <label htmlFor="sign-website">Leave this field empty</label>
        <input {...register("website")} id="sign-website" tabIndex={-1} autoComplete="off" />
      </div>

      <button type="submit" className="button primary" disabled={submitting}>
        {submitting ? "Signing…" : "Sign and preview my letters"}
      </button>
    </Form>
  );
}
