import { useId } from "react";

/** A labelled input with its validation errors announced to screen readers. */
export function Field({
  label,
  errors,
  hint,
  ...input
}: React.InputHTMLAttributes<HTMLInputElement> & { label: string; errors?: string[]; hint?: string }) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={errors?.length ? true : undefined} aria-describedby={errors?.length ? errorId : undefined} {...input} />
      {hint ? <p className="hint">{hint}</p> : null}
      {errors?.length ? (
        <p className="field-error" id={errorId}>
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

export function Select({
  label,
  errors,
  options,
  ...select
}: React.SelectHTMLAttributes<HTMLSelectElement> & { label: string; errors?: string[]; options: readonly (string | { value: string; label: string })[] }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-invalid={errors?.length ? true : undefined} {...select}>
        {options.map((o) => {
          const { value, label: text } = typeof o === "string" ? { value: o, label: o } : o;
          return (
            <option key={value} value={value}>
              {text}
            </option>
          );
        })}
      </select>
      {errors?.length ? <p className="field-error">{errors.join(" ")}</p> : null}
    </div>
  );
}
