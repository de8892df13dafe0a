import { formatLocal } from "../utils/time-format";
import { forwardRef, useEffect, useRef, useState, type CSSProperties, type KeyboardEvent } from "react";
import { CommentComposer } from "../comments/comment-composer";
import { CommentBody } from "../comments/thread-card";
import type { CommentMember, ThreadView } from "../comments/types";
import type { SuggestionView } from "./types";
import type { SuggestionResult, SuggestionsApi } from "./use-suggestions";

const timeFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

function when(ms: number): string {
  const diff = Date.now() - ms;
  if (diff < 60_000) return "just now";
  if (diff < 3_600_000) return `${Math.floor(diff / 60_000)} min ago`;
  return timeFormat.format(ms);
}

const short = (text: string) => (text.length > 120 ? `${text.slice(0, 119)}…` : text);

/** "Replace “a” with “b”", "Insert “b”", "Delete “a”", "Rename topic “a” to “b”". */
export function describeSuggestion(s: Pick<SuggestionView, "kind" | "originalText" | "replacement">): string {
  if (s.kind === "topicTitle") return `Rename topic “${short(s.originalText)}” to “${short(s.replacement)}”`;
  if (!s.originalText) return `Insert “${short(s.replacement)}”`;
  if (!s.replacement) return `Delete “${short(s.originalText)}”`;
  return `Replace “${short(s.originalText)}” with “${short(s.replacement)}”`;
}

/** The tooltip of a suggestion in the text. */
export function suggestionLabel(s: SuggestionView): string {
  return `${describeSuggestion(s)} — suggested by ${s.authorName ?? "a former member"}, ${formatLocal(s.createdAt)}`;
}

interface CardProps {
  suggestion: SuggestionView;
  outdated: boolean;
  active: boolean;
  canDecide: boolean;
  canDiscuss: boolean;
  thread: ThreadView | null;
  members: CommentMember[];
  api: SuggestionsApi;
  style?: CSSProperties;
  onActivate: () => void;
}

/** A suggestion in the comments margin: what it changes, who suggested it and when, its discussion, and Accept / Reject. */
export const SuggestionCard = forwardRef<HTMLElement, CardProps>(function SuggestionCard(props, ref) {
  const { suggestion: s, api } = props;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [replying, setReplying] = useState(false);
  const run = async (action: () => Promise<SuggestionResult>) => {
    setBusy(true);
    const result = await action();
    setBusy(false);
    setError(result.ok ? null : result.message);
  };
  const author = s.authorName ?? "Former member";
  const comments = props.thread?.comments.filter((c) => !c.deleted) ?? [];
  return (
    <article
      ref={ref}
      className={`thread-card suggestion-card${props.active ? " is-active" : ""}${props.outdated ? " is-outdated" : ""}`}
      style={{ ...props.style, borderLeftColor: s.authorColor ?? undefined }}
      aria-label={`Suggestion by ${author}`}
      data-suggestion-id={s.id}
      onClick={props.onActivate}
    >
      <div className="comment-meta">
        <span className="comment-avatar" style={{ background: s.authorColor ?? "#6b7280" }} aria-hidden="true">
          {author.slice(0, 1)}
        </span>
        <span className="comment-author">{author}</span>
        <time className="muted small" dateTime={new Date(s.createdAt).toISOString()} title={formatLocal(s.createdAt)}>
          {when(s.createdAt)}
        </time>
      </div>
      <p className="suggestion-summary">{describeSuggestion(s)}</p>
      {props.outdated && (
        <p className="suggestion-outdated small" role="status">
          Outdated: the text was changed since this was suggested, so it cannot be accepted.
        </p>
      )}
      {comments.length > 0 && (
        <ul className="comment-list">
          {comments.map((c) => (
            <li key={c.id} className="comment">
              <div className="comment-meta">
                <span className="comment-author">{c.authorName ?? "Former member"}</span>
                <time className="muted small">{when(c.createdAt)}</time>
              </div>
              <CommentBody body={c.body} members={props.members} />
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="field-error small" role="alert">
          {error}
        </p>
      )}
      {replying ? (
        <CommentComposer
          members={props.members}
          placeholder="Discuss this suggestion…"
          submitLabel="Reply"
          autoFocus
          onCancel={() => setReplying(false)}
          onSubmit={async (body) => {
            const result = await api.reply(s.id, body);
            if (result.ok) setReplying(false);
            return result.ok ? null : result.message;
          }}
        />
      ) : (
        <div className="thread-actions">
          {props.canDecide && (
            <>
              <button type="button" className="button small primary" disabled={busy || props.outdated} onClick={() => run(() => api.accept(s.id))}>
                Accept
              </button>
              <button type="button" className="button small" disabled={busy} onClick={() => run(() => api.reject(s.id))}>
                Reject
              </button>
            </>
          )}
          {props.canDiscuss && (
            <button type="button" className="link-button" onClick={() => setReplying(true)}>
              Reply
            </button>
          )}
          {props.canDecide && s.authorId && (
            <span className="suggestion-bulk small">
              All by {author.split(" ")[0]}:{" "}
              <button type="button" className="link-button" aria-label={`Accept all of ${author}’s suggestions`} disabled={busy} onClick={() => run(() => api.acceptAll(s.authorId!))}>
                accept
              </button>{" "}
              ·{" "}
              <button type="button" className="link-button" aria-label={`Reject all of ${author}’s suggestions`} disabled={busy} onClick={() => run(() => api.rejectAll(s.authorId!))}>
                reject
              </button>
            </span>
          )}
        </div>
      )}
    </article>
  );
});

/**
 * The box for a new suggestion: the replacement field takes the keyboard as soon as the card is
 * placed, Enter sends (an empty field suggests deleting the selection), Escape cancels.
 */
export const SuggestionDraftCard = forwardRef<
  HTMLElement,
  { kind?: SuggestionView["kind"]; original: string; style?: CSSProperties; placed: boolean; onSubmit: (replacement: string) => Promise<string | null>; onCancel: () => void }
>(
  function SuggestionDraftCard(props, ref) {
    const title = props.kind === "topicTitle";
    const [text, setText] = useState(props.original);
    const [error, setError] = useState<string | null>(null);
    const [busy, setBusy] = useState(false);
    const input = useRef<HTMLInputElement>(null);
    useEffect(() => {
      if (!props.placed) return;
      input.current?.focus({ preventScroll: true });
      input.current?.select();
    }, [props.placed]);
    const submit = async () => {
      if (busy) return;
      setBusy(true);
      const err = await props.onSubmit(text);
      setBusy(false);
      setError(err);
    };
    const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
      if (e.key === "Enter") {
        e.preventDefault();
        void submit();
      } else if (e.key === "Escape") {
        e.preventDefault();
        props.onCancel();
      }
    };
    return (
      <article ref={ref} className="thread-card is-active is-draft suggestion-card" style={props.style} aria-label={title ? "New title suggestion" : "New suggestion"}>
        {title ? (
          <p className="muted small">Topic title: “{short(props.original)}”</p>
        ) : props.original ? (
          <blockquote className="thread-quote">{short(props.original)}</blockquote>
        ) : (
          <p className="muted small">Insert at the caret</p>
        )}
        <label className="small">
          {title ? "New title" : props.original ? "Replace with (empty deletes it)" : "Text to insert"}
          <input ref={input} className="suggestion-input" value={text} onChange={(e) => setText(e.target.value)} onKeyDown={onKey} aria-label="Suggested text" />
        </label>
        {error && (
          <p className="field-error small" role="alert">
            {error}
          </p>
        )}
        <div className="thread-actions">
          <button type="button" className="button small primary" disabled={busy} onClick={() => void submit()}>
            Suggest
          </button>
          <button type="button" className="button small" onClick={props.onCancel}>
            Cancel
          </button>
        </div>
      </article>
    );
  },
);
