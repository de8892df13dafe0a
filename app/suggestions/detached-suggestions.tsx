import { useState } from "react";
import { describeSuggestion } from "./suggestion-card";
import type { SuggestionView } from "./types";
import type { SuggestionsApi } from "./use-suggestions";

const timeFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });

/** Why a detached suggestion cannot be accepted: the server re-reads its text and would refuse it. */
function whyNotAccepted(s: SuggestionView): string {
  if (s.kind === "topicTitle") return "Its topic is no longer in the briefing (deleted or moved), so this title cannot be applied. Reject it to close it.";
  if (!s.originalText) return "The paragraph it would insert into was deleted, so it cannot be applied. Reject it to close it.";
  return "The text it would change was deleted, so it cannot be applied. Reject it to close it.";
}

/**
 * Open suggestions whose text (or topic) was deleted: nothing is left to mark in the briefing, so
 * they are listed here with the original text, who suggested them and when. Editors and owners
 * reject them; accepting is not offered, with the reason, because there is nothing to apply it to.
 * The person who made one may withdraw it (the server checks both).
 */
export function DetachedSuggestions({ suggestions, api, canDecide }: { suggestions: SuggestionView[]; api: SuggestionsApi; canDecide: boolean }) {
  const viewerId = api.viewer?.id ?? null;
  if (suggestions.length === 0) return null;
  return (
    <section className="comments-detached detached-suggestions" aria-label="Detached suggestions">
      <h3 className="small muted">Detached suggestions ({suggestions.length})</h3>
      {suggestions.map((s) => (
        <DetachedSuggestion key={s.id} suggestion={s} api={api} canDecide={canDecide} canWithdraw={Boolean(viewerId && s.authorId === viewerId && api.viewer?.canSuggest)} />
      ))}
    </section>
  );
}

function DetachedSuggestion({ suggestion: s, api, canDecide, canWithdraw }: { suggestion: SuggestionView; api: SuggestionsApi; canDecide: boolean; canWithdraw: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const author = s.authorName ?? "Former member";
  const close = async (how: "reject" | "withdraw") => {
    setBusy(true);
    const result = await (how === "reject" ? api.reject(s.id) : api.withdraw(s.id));
    setBusy(false);
    setError(result.ok ? null : result.message);
  };
  return (
    <article className="thread-card suggestion-card is-detached" style={{ borderLeftColor: s.authorColor ?? undefined }} aria-label={`Detached suggestion by ${author}`} data-suggestion-id={s.id}>
      <div className="comment-meta">
        <span className="comment-author">{author}</span>
        <time className="muted small" dateTime={new Date(s.createdAt).toISOString()}>
          {timeFormat.format(s.createdAt)}
        </time>
      </div>
      {s.originalText ? (
        <blockquote className="thread-quote">
          {s.kind === "topicTitle" ? "Topic title: " : ""}
          {s.originalText}
        </blockquote>
      ) : null}
      <p className="suggestion-summary">{describeSuggestion(s)}</p>
      <p className="small muted suggestion-detached-reason">{whyNotAccepted(s)}</p>
      {error && (
        <p className="field-error small" role="alert">
          {error}
        </p>
      )}
      {(canDecide || canWithdraw) && (
        <div className="thread-actions">
          {canWithdraw && (
            <button type="button" className="button small" disabled={busy} onClick={() => void close("withdraw")}>
              Withdraw
            </button>
          )}
          {canDecide && (
            <button type="button" className="button small" disabled={busy} onClick={() => void close("reject")}>
              Reject
            </button>
          )}
        </div>
      )}
    </article>
  );
}
