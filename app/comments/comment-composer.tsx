import { useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { COMMENT_BODY_MAX } from "./limits";
import { bodyToDraft, draftToBody, mentionQueryAt } from "./mentions";
import type { CommentMember } from "./types";

/**
 * A comment text box with @mention autocomplete from the team's members. Mentions are stored as
 * user ids (see mentions.ts); the box shows them as `@Name`. Ctrl/⌘+Enter sends, Escape cancels.
 */
export function CommentComposer(props: {
  members: CommentMember[];
  /** A stored body to start from (editing). */
  initialBody?: string;
  placeholder: string;
  submitLabel: string;
  autoFocus?: boolean;
  onSubmit: (body: string) => Promise<string | null>;
  onCancel?: () => void;
}) {
  const initial = useMemo(() => bodyToDraft(props.initialBody ?? "", props.members), [props.initialBody, props.members]);
  const [text, setText] = useState(initial.text);
  const [picked, setPicked] = useState<string[]>(initial.picked);
  const [query, setQuery] = useState<{ start: number; query: string } | null>(null);
  const [highlight, setHighlight] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const listId = useId();

  const suggestions = useMemo(() => {
    if (!query) return [];
    const q = query.query.toLocaleLowerCase();
    return props.members.filter((m) => m.name.toLocaleLowerCase().split(/\s+/).some((part) => part.startsWith(q)) || m.name.toLocaleLowerCase().startsWith(q)).slice(0, 6);
  }, [query, props.members]);

  const updateQuery = (value: string, caret: number) => {
    setQuery(mentionQueryAt(value, caret));
    setHighlight(0);
  };

  const pick = (member: CommentMember) => {
    if (!query) return;
    const caret = area.current?.selectionStart ?? text.length;
    const inserted = `@${member.name} `;
    const next = text.slice(0, query.start) + inserted + text.slice(caret);
    setText(next);
    setPicked((p) => (p.includes(member.userId) ? p : [...p, member.userId]));
    setQuery(null);
    const at = query.start + inserted.length;
    requestAnimationFrame(() => {
      area.current?.focus();
      area.current?.setSelectionRange(at, at);
    });
  };

  const submit = async () => {
    if (busy) return;
    const body = draftToBody(text, picked, props.members).trim();
    if (!body) return setError("Write a comment.");
    if (body.length > COMMENT_BODY_MAX) return setError(`A comment has at most ${COMMENT_BODY_MAX.toLocaleString("en")} characters.`);
    setBusy(true);
    const failure = await props.onSubmit(body);
    setBusy(false);
    setError(failure);
    if (!failure) {
      setText("");
      setPicked([]);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (suggestions.length) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        setHighlight((h) => (h + (e.key === "ArrowDown" ? 1 : suggestions.length - 1)) % suggestions.length);
        return;
      }
      if (e.key === "Enter" || e.key === "Tab") {
        e.preventDefault();
        pick(suggestions[highlight]);
        return;
      }
      if (e.key === "Escape") {
        e.preventDefault();
        setQuery(null);
        return;
      }
    }
    if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
      e.preventDefault();
      void submit();
    } else if (e.key === "Escape" && props.onCancel) {
      e.preventDefault();
      props.onCancel();
    }
  };

  const over = text.length > COMMENT_BODY_MAX;
  return (
    <form
      className="comment-composer"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      onClick={(e) => e.stopPropagation()}
    >
      <div className="comment-composer-field">
        <textarea
          ref={area}
          value={text}
          rows={2}
          placeholder={props.placeholder}
          aria-label={props.placeholder}
          autoFocus={props.autoFocus}
          aria-invalid={error ? true : undefined}
          aria-autocomplete="list"
          aria-controls={suggestions.length ? listId : undefined}
          onChange={(e) => {
            setText(e.target.value);
            updateQuery(e.target.value, e.target.selectionStart);
          }}
          onSelect={(e) => updateQuery(e.currentTarget.value, e.currentTarget.selectionStart)}
          onBlur={() => setTimeout(() => setQuery(null), 150)}
          onKeyDown={onKeyDown}
        />
        {suggestions.length > 0 && (
          <ul className="mention-suggestions" role="listbox" id={listId} aria-label="Mention a team member">
            {suggestions.map((m, i) => (
              <li
                key={m.userId}
                role="option"
                aria-selected={i === highlight}
                className={i === highlight ? "is-highlighted" : undefined}
                onMouseDown={(e) => {
                  e.preventDefault();
                  pick(m);
                }}
              >
                <span className="comment-avatar" style={{ background: m.color }} aria-hidden="true">
                  {m.name.slice(0, 1)}
                </span>
                <span>{m.name}</span>
                <span className="muted small">{m.role}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="comment-composer-actions">
        <span className={`small ${over ? "field-error" : "muted"}`}>{text.length > COMMENT_BODY_MAX - 500 ? `${text.length}/${COMMENT_BODY_MAX}` : "@ to mention"}</span>
        {props.onCancel && (
          <button type="button" className="button small" onClick={props.onCancel} disabled={busy}>
            Cancel
          </button>
        )}
        <button type="submit" className="button small primary" disabled={busy || !text.trim() || over}>
          {busy ? "Sending…" : props.submitLabel}
        </button>
      </div>
    </form>
  );
}
