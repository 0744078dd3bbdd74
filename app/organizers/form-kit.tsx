// The organizers' forms share one way of working: the same zod schema checks the form in the
// browser (react-hook-form) and in the action; without JavaScript the form posts as is and the
// server's errors are shown. Errors sit beside their field and in a summary that takes focus.
import { zodResolver } from "@hookform/resolvers/zod";
import { useSubmit } from "@remix-run/react";
import { useEffect, useRef, type FormEvent, type ReactNode } from "react";
import { useForm, type DefaultValues, type FieldValues, type UseFormRegister } from "react-hook-form";
import type { z } from "zod";

export type FormErrors = Record<string, string | undefined>;

/** The first error per field of a failed parse (path "" or a refinement without path → "form"). */
export function formErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
  return errors;
}

export function useSchemaForm<T extends FieldValues>(
  schema: z.ZodType<unknown, z.ZodTypeDef, T>,
  options: {
    id: string;
    serverErrors?: FormErrors;
    defaults?: DefaultValues<T>;
    /** "navigate": a plain browser submission (downloads, GET forms); "remix": through Remix. */
    submitWith?: "remix" | "navigate";
  },
) {
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const submit = useSubmit();
  const {
    register,
    handleSubmit,
    formState: { errors: clientErrors, submitCount },
  } = useForm<T>({
    // The resolver's generics do not follow a schema passed in generically.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    resolver: zodResolver(schema as any) as any,
    mode: "onTouched",
    defaultValues: options.defaults,
  });
  const errors: FormErrors = { ...options.serverErrors };
  for (const [field, error] of Object.entries(clientErrors)) {
    if (error?.message) errors[field] = String(error.message);
  }
  const hasServerErrors = Boolean(options.serverErrors && Object.keys(options.serverErrors).length > 0);
  useEffect(() => {
    if (hasServerErrors || submitCount > 0) summaryRef.current?.focus();
  }, [hasServerErrors, submitCount, options.serverErrors]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    void handleSubmit(() => {
      const form = formRef.current;
      if (!form) return;
      if (options.submitWith === "navigate") form.submit();
      else submit(form, { method: (form.getAttribute("method") ?? "post") as "post" });
    })(event);
  };
  return { formRef, summaryRef, register: register as UseFormRegister<T>, errors, onSubmit, id: options.id };
}

export function ErrorSummary({
  errors,
  labels,
  id,
  summaryRef,
  title = "Please correct this:",
}: {
  errors: FormErrors;
  labels: Record<string, string>;
  id: string;
  summaryRef: React.RefObject<HTMLDivElement>;
  title?: string;
}) {
  const list = Object.entries(errors).filter(([, m]) => m);
  if (list.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={summaryRef}>
      <h2>{title}</h2>
      <ul>
        {list.map(([field, message]) => (
          <li key={field}>
            {labels[field] ? <a href={`#${id}-${field}`}>{`${labels[field]}: ${message}`}</a> : message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A labelled field with its error beside it; `children` gets the input's accessibility props. */
export function Field({
  id,
  name,
  label,
  error,
  hint,
  children,
}: {
  id: string;
  name: string;
  label: string;
  error?: string;
  hint?: string;
  children: (props: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode;
}) {
  const fieldId = `${id}-${name}`;
  const describedBy = [hint ? `${fieldId}-hint` : null, error ? `${fieldId}-error` : null].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={fieldId}>{label}</label>
      {children({
        id: fieldId,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": describedBy || undefined,
      })}
      {hint ? (
        <p className="hint" id={`${fieldId}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${fieldId}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
