// The campaign editor: every field of a campaign, its targets and its letter content, with a
// preview of the letters for any ZIP. Works without JavaScript (Save and Preview are plain
// submits, errors rendered by the server); with JavaScript, react-hook-form checks the same zod
// schema before anything is sent and the preview follows the text as it is typed.
import { zodResolver } from "@hookform/resolvers/zod";
import { Form, useFetcher, useNavigation, useSubmit } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useForm, type FieldErrors as RhfErrors } from "react-hook-form";
import { OFFICE_KINDS } from "~/letters/content";
import type { PreviewResult } from "./admin.server";
import { PreviewLetters } from "./preview-letters";
import {
  CampaignFormSchema,
  fieldPath,
  KIND_NAMES,
  type CampaignFormErrors,
  type CampaignFormInput,
  type CampaignFormValues,
} from "./campaign-form";

export type EditorActionData =
  | { status: "invalid"; errors: CampaignFormErrors; values: CampaignFormInput; preview?: undefined }
  | { status: "preview"; preview: PreviewResult; values: CampaignFormInput; errors?: undefined };

const PART_NAMES = {
  subjects: "Subjects",
  openings: "Opening paragraphs",
  closingParagraphs: "Closing paragraphs",
} as const;

const id = (path: string) => `cf-${path.replace(/\./g, "-")}`;

/** A message from react-hook-form's nested errors, by dotted path. */
function flattenRhf(errors: RhfErrors, prefix: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(errors)) {
    if (!value || typeof value !== "object" || key === "ref") continue;
    const path = [...prefix, key];
    const message = (value as { message?: unknown }).message;
    if (typeof message === "string") out[fieldPath(path)] ??= message;
    else for (const [p, m] of Object.entries(flattenRhf(value as RhfErrors, path))) out[p] ??= m;
  }
  return out;
}

export function CampaignEditor({
  defaults,
  actionData,
  offices,
  previewAction,
  submitLabel,
}: {
  defaults: CampaignFormInput;
  actionData: EditorActionData | undefined;
  offices: { key: string; label: string }[];
  /** The resource route the live preview posts to. */
  previewAction: string;
  submitLabel: string;
}) {
  const values = actionData?.values ?? defaults;
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const submit = useSubmit();
  const navigation = useNavigation();
  const preview = useFetcher<EditorActionData>();
  const {
    register,
    handleSubmit,
    watch,
    formState: { errors: clientErrors, submitCount },
  } = useForm<CampaignFormInput, unknown, CampaignFormValues>({
    resolver: zodResolver(CampaignFormSchema),
    mode: "onTouched",
    defaultValues: values,
    // The error summary takes the focus (as on the sign form), not the first field.
    shouldFocusError: false,
  });

  // react-hook-form fills fields from the browser; without JavaScript the server-rendered
  // fields must carry their values themselves.
  const initial = (path: string): unknown => {
    let node: unknown = values;
    for (const part of path.split(".")) {
      if (node === null || typeof node !== "object") return undefined;
      node = (node as Record<string, unknown>)[part];
    }
    return node;
  };
  const text = (path: string) => {
    const v = initial(path);
    return typeof v === "string" || typeof v === "number" ? String(v) : "";
  };
  const checked = (path: string) => {
    const v = initial(path);
    return v === true || v === "on" || v === "true";
  };

  const serverErrors = actionData?.errors ?? {};
  const client = flattenRhf(clientErrors);
  const errors: Record<string, string> = { ...serverErrors, ...client };
  const errorList = Object.entries(errors);
  const message = (path: string) => errors[path];

  useEffect(() => {
    if (actionData?.status === "invalid" || submitCount > 0) summaryRef.current?.focus();
  }, [actionData, submitCount]);

  // The live preview: after a pause in typing, the unsaved form goes to the preview route.
  useEffect(() => {
    let timer: number | undefined;
    const subscription = watch(() => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        const form = formRef.current;
        if (!form) return;
        const data = new FormData(form);
        if (!String(data.get("previewZip") ?? "").trim()) return;
        data.set("intent", "preview");
        preview.submit(data, { method: "post", action: previewAction });
      }, 600);
    });
    return () => {
      subscription.unsubscribe();
      window.clearTimeout(timer);
    };
    // preview.submit is stable enough; re-subscribing on its identity would loop.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [watch, previewAction]);

  const shown: PreviewResult | undefined = preview.data?.preview ?? actionData?.preview;
  const previewErrors = preview.data?.status === "invalid" ? preview.data.errors : undefined;

  const field = (path: string) => ({
    id: id(path),
    "aria-invalid": message(path) ? true : undefined,
    "aria-describedby": message(path) ? `${id(path)}-error` : undefined,
  });
  const fieldError = (path: string) =>
    message(path) ? (
      <p className="field-error" id={`${id(path)}-error`}>
        {message(path)}
      </p>
    ) : null;

  // One empty row for a new point (blank rows are ignored on saving).
  const pointCount = (values.points?.length ?? 0) + 1;

  return (
    <Form
      method="post"
      ref={formRef}
      noValidate
      className="campaign-editor"
      onSubmit={(event) => {
        const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
        void handleSubmit(() => submit(submitter ?? formRef.current, { method: "post" }))(event);
      }}
    >
      {errorList.length > 0 ? (
        <div className="error-summary" role="alert" tabIndex={-1} ref={summaryRef}>
          <h2>Please correct {errorList.length === 1 ? "this" : "these"} first:</h2>
          <ul>
            {errorList.map(([path, text]) => (
              <li key={path}>{path === "form" ? text : <a href={`#${id(path)}`}>{text}</a>}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <fieldset className="panel">
        <legend>The campaign</legend>
        <div className="field">
          <label htmlFor={id("title")}>Title</label>
          <input {...register("title")} {...field("title")} defaultValue={text("title")} maxLength={160} />
          {fieldError("title")}
        </div>
        <div className="field">
          <label htmlFor={id("slug")}>Address (the page is /c/address)</label>
          <input
            {...register("slug")}
            {...field("slug")}
            defaultValue={text("slug")}
            maxLength={80}
            autoCapitalize="none"
            spellCheck={false}
          />
          {fieldError("slug")}
        </div>
        <div className="field">
          <label htmlFor={id("summary")}>Summary (one line)</label>
          <input {...register("summary")} {...field("summary")} defaultValue={text("summary")} maxLength={300} />
          {fieldError("summary")}
        </div>
        <div className="field">
          <label htmlFor={id("body")}>The case (paragraphs separated by a blank line)</label>
          <textarea {...register("body")} {...field("body")} defaultValue={text("body")} rows={6} />
          {fieldError("body")}
        </div>
        <div className="row">
          <div className="field">
            <label htmlFor={id("goal")}>Goal (signatures)</label>
            <input {...register("goal")} {...field("goal")} defaultValue={text("goal")} inputMode="numeric" />
            {fieldError("goal")}
          </div>
          <div className="field">
            <label htmlFor={id("startsAt")}>Opens on (optional)</label>
            <input {...register("startsAt")} {...field("startsAt")} defaultValue={text("startsAt")} type="date" />
            {fieldError("startsAt")}
          </div>
          <div className="field">
            <label htmlFor={id("endsAt")}>Closes after (optional)</label>
            <input {...register("endsAt")} {...field("endsAt")} defaultValue={text("endsAt")} type="date" />
            {fieldError("endsAt")}
          </div>
        </div>
      </fieldset>

      <fieldset className="panel">
        <legend>Who the letters go to</legend>
        <div className="choice">
          <input
            type="checkbox"
            {...register("targetsWhiteHouse")}
            {...field("targetsWhiteHouse")}
            defaultChecked={checked("targetsWhiteHouse")}
          />
          <label htmlFor={id("targetsWhiteHouse")}>The White House</label>
        </div>
        {fieldError("targetsWhiteHouse")}
        <div className="choice">
          <input
            type="checkbox"
            {...register("targetsSenators")}
            id={id("targetsSenators")}
            defaultChecked={checked("targetsSenators")}
          />
          <label htmlFor={id("targetsSenators")}>The supporter&apos;s two senators</label>
        </div>
        <div className="choice">
          <input
            type="checkbox"
            {...register("targetsRepresentative")}
            id={id("targetsRepresentative")}
            defaultChecked={checked("targetsRepresentative")}
          />
          <label htmlFor={id("targetsRepresentative")}>The supporter&apos;s representative</label>
        </div>
        <div className="field">
          <label htmlFor={id("extraOffices")}>
            Extra offices every supporter writes to (hold Ctrl or ⌘ to pick several; add new ones under Offices)
          </label>
          <select
            {...register("extraOffices")}
            {...field("extraOffices")}
            multiple
            size={6}
            defaultValue={[initial("extraOffices") ?? []].flat().map(String)}
          >
            {offices.map((o) => (
              <option key={o.key} value={o.key}>
                {o.label}
              </option>
            ))}
          </select>
          {fieldError("extraOffices")}
        </div>
      </fieldset>

      <fieldset className="panel">
        <legend>Mode</legend>
        <div className="choice">
          <input
            type="radio"
            value="test"
            {...register("mode")}
            id={id("mode-test")}
            defaultChecked={text("mode") !== "live"}
          />
          <label htmlFor={id("mode-test")}>Test: every letter goes to the test inbox</label>
        </div>
        <div className="choice">
          <input
            type="radio"
            value="live"
            {...register("mode")}
            id={id("mode")}
            defaultChecked={text("mode") === "live"}
          />
          <label htmlFor={id("mode")}>Live: letters go to the offices</label>
        </div>
        {fieldError("mode")}
        <div className="field">
          <label htmlFor={id("testInbox")}>Test inbox</label>
          <input {...register("testInbox")} {...field("testInbox")} defaultValue={text("testInbox")} type="email" />
          {fieldError("testInbox")}
        </div>
      </fieldset>

      <fieldset className="panel">
        <legend>The letter</legend>
        <p className="hint">
          One variant a line; each letter picks one, so no two supporters send the same words. Placeholders:{" "}
          <code>{"{place}"}</code> (&ldquo;Seattle, Washington&rdquo;), <code>{"{city}"}</code>,{" "}
          <code>{"{state}"}</code>.
        </p>
        {(["subjects", "openings", "closingParagraphs"] as const).map((part) =>
          OFFICE_KINDS.map((kind) => (
            <div className="field" key={`${part}.${kind}`}>
              <label htmlFor={id(`${part}.${kind}`)}>
                {PART_NAMES[part]} for {KIND_NAMES[kind]}
              </label>
              <textarea
                {...register(`${part}.${kind}`)}
                {...field(`${part}.${kind}`)}
                defaultValue={text(`${part}.${kind}`)}
                rows={part === "subjects" ? 4 : 6}
              />
              {fieldError(`${part}.${kind}`)}
            </div>
          )),
        )}
        {fieldError("points")}
        {Array.from({ length: pointCount }, (_, i) => (
          <fieldset key={i} className="point">
            <legend>{i < pointCount - 1 ? `Point ${i + 1}` : "A new point (leave blank for none)"}</legend>
            <input type="hidden" {...register(`points.${i}.key`)} defaultValue={text(`points.${i}.key`)} />
            <div className="field">
              <label htmlFor={id(`points.${i}.label`)}>Label (the supporter ticks it)</label>
              <input
                {...register(`points.${i}.label`)}
                {...field(`points.${i}.label`)}
                defaultValue={text(`points.${i}.label`)}
                maxLength={120}
              />
              {fieldError(`points.${i}.label`)}
            </div>
            <div className="field">
              <label htmlFor={id(`points.${i}.summary`)}>Summary</label>
              <textarea
                {...register(`points.${i}.summary`)}
                {...field(`points.${i}.summary`)}
                defaultValue={text(`points.${i}.summary`)}
                rows={2}
              />
              {fieldError(`points.${i}.summary`)}
            </div>
            {OFFICE_KINDS.map((kind) => (
              <div className="field" key={kind}>
                <label htmlFor={id(`points.${i}.asks.${kind}`)}>Asks of {KIND_NAMES[kind]}</label>
                <textarea
                  {...register(`points.${i}.asks.${kind}`)}
                  {...field(`points.${i}.asks.${kind}`)}
                  defaultValue={text(`points.${i}.asks.${kind}`)}
                  rows={3}
                />
                {fieldError(`points.${i}.asks.${kind}`)}
              </div>
            ))}
            {i < pointCount - 1 ? (
              <div className="choice">
                <input
                  type="checkbox"
                  {...register(`points.${i}.remove`)}
                  id={id(`points.${i}.remove`)}
                  defaultChecked={checked(`points.${i}.remove`)}
                />
                <label htmlFor={id(`points.${i}.remove`)}>Remove this point</label>
              </div>
            ) : null}
          </fieldset>
        ))}
      </fieldset>

      <section className="panel preview" aria-labelledby="preview-heading">
        <h2 id="preview-heading">Preview</h2>
        <div className="row">
          <div className="field zip">
            <label htmlFor="cf-previewZip">ZIP code to preview</label>
            <input
              id="cf-previewZip"
              name="previewZip"
              inputMode="numeric"
              defaultValue={actionData?.preview?.ok ? actionData.preview.zip : ""}
              onChange={(event) => {
                const data = new FormData(event.currentTarget.form ?? undefined);
                if (!/^\d{5}$/.test(String(data.get("previewZip")).trim())) return;
                data.set("intent", "preview");
                preview.submit(data, { method: "post", action: previewAction });
              }}
            />
          </div>
          <button type="submit" name="intent" value="preview" className="button secondary">
            Preview letters
          </button>
        </div>
        <div aria-live="polite">
          {previewErrors ? (
            <p className="field-error">The preview waits for the errors above: {Object.values(previewErrors)[0]}</p>
          ) : null}
          {shown && !shown.ok ? <p className="field-error">{shown.error}</p> : null}
          {shown?.ok ? (
            <>
              <p>
                Letters of a sample supporter in {shown.place} (ZIP {shown.zip}), with every point chosen; unsaved.
              </p>
              <PreviewLetters letters={shown.letters} notes={shown.notes} heading="h3" />
            </>
          ) : null}
        </div>
      </section>

      <button type="submit" name="intent" value="save" className="button" disabled={navigation.state === "submitting"}>
        {submitLabel}
      </button>
    </Form>
  );
}
