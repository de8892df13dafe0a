import { useId, type ReactNode } from "react";

/**
 * Small labelled controls for block attributes. Every change goes straight to `updateAttributes`,
 * which is a ProseMirror transaction and so syncs through Yjs like typed text.
 */
export function AttrText(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  disabled: boolean;
  placeholder?: string;
  type?: "text" | "date" | "url";
  wide?: boolean;
  invalid?: boolean;
  maxLength?: number;
  list?: string;
}) {
  const id = useId();
  return (
    <div className={`attr-field${props.wide ? " wide" : ""}`}>
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type={props.type ?? "text"}
        value={props.value}
        placeholder={props.placeholder}
        disabled={props.disabled}
        maxLength={props.maxLength}
        list={props.list}
        aria-invalid={props.invalid || undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  );
}

export function AttrTextArea(props: { label: string; value: string; onChange: (value: string) => void; disabled: boolean; placeholder?: string }) {
  const id = useId();
  return (
    <div className="attr-field wide">
      <label htmlFor={id}>{props.label}</label>
      <textarea
        id={id}
        rows={2}
        value={props.value}
        placeholder={props.placeholder}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  );
}

export function AttrSelect(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  disabled: boolean;
  children: ReactNode;
  className?: string;
  hideLabel?: boolean;
}) {
  const id = useId();
  return (
    <div className={`attr-field${props.hideLabel ? " inline" : ""}`}>
      <label htmlFor={id} className={props.hideLabel ? "sr-only" : undefined}>
        {props.label}
      </label>
      <select id={id} className={props.className} value={props.value} disabled={props.disabled} onChange={(e) => props.onChange(e.target.value)}>
        {props.children}
      </select>
    </div>
  );
}

/** A source shown as a link only when it is an absolute http(s) URL; anything else stays text. */
export function SourceText({ source, href }: { source: string; href: string | null }) {
  if (!source) return null;
  return href ? (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="block-source">
      {source}
    </a>
  ) : (
    <cite className="block-source">{source}</cite>
  );
}
