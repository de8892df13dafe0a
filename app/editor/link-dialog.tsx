import type { Editor } from "@tiptap/core";
import { useEffect, useId, useRef, useState } from "react";

const ALLOWED = new Set(["http:", "https:", "mailto:"]);

/** Normalises what the user typed into a safe href, or explains why it is refused. */
export function parseLinkHref(input: string): { href: string } | { error: string } {
  let text = input.trim();
  if (!text) return { error: "Enter a web address." };
  if (/^[^\s@/]+@[^\s@/]+\.[^\s@/]+$/.test(text)) text = `mailto:${text}`;
  else if (!/^[a-z][a-z0-9+.-]*:/i.test(text)) text = `https://${text}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { error: "That is not a valid web address." };
  }
  if (!ALLOWED.has(url.protocol)) return { error: "Only http, https and mailto links are allowed." };
  return { href: url.href };
}

/** A small popover to add, change or remove the link on the selection. */
export function LinkDialog({ editor, onClose }: { editor: Editor; onClose: () => void }) {
  const current = (editor.getAttributes("link").href as string | undefined) ?? "";
  const [value, setValue] = useState(current);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const id = useId();
  useEffect(() => inputRef.current?.focus(), []);

  const apply = () => {
    const parsed = parseLinkHref(value);
    if ("error" in parsed) return setError(parsed.error);
    const chain = editor.chain().focus().extendMarkRange("link");
    if (editor.state.selection.empty && !current) {
      // Nothing selected: insert the address itself as linked text.
      chain.insertContent({ type: "text", text: value.trim(), marks: [{ type: "link", attrs: { href: parsed.href } }] }).run();
    } else {
      chain.setLink({ href: parsed.href }).run();
    }
    onClose();
  };

  return (
    <form
      className="link-dialog"
      role="dialog"
      aria-label="Link"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          onClose();
          editor.commands.focus();
        }
      }}
    >
      <label htmlFor={id}>Link address</label>
      <input
        id={id}
        ref={inputRef}
        value={value}
        placeholder="https://…"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-err` : undefined}
        onChange={(e) => {
          setValue(e.target.value);
          setError(null);
        }}
      />
      {error && (
        <p id={`${id}-err`} className="field-error">
          {error}
        </p>
      )}
      <div className="link-dialog-actions">
        <button type="submit" className="button small primary">
          {current ? "Update" : "Add link"}
        </button>
        {current && (
          <button
            type="button"
            className="button small danger"
            onClick={() => {
              editor.chain().focus().extendMarkRange("link").unsetLink().run();
              onClose();
            }}
          >
            Remove
          </button>
        )}
        <button type="button" className="button small" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
