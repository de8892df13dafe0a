import { formatLocal } from "../utils/time-format";
import { forwardRef, useState, type CSSProperties } from "react";
import { CommentComposer } from "./comment-composer";
import { splitBody } from "./mentions";
import type { CommentMember, CommentsViewer, CommentView, ThreadView } from "./types";
import type { CommentThreadsApi, MutationResult } from "./use-comment-threads";

const timeFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

function when(ms: number): string {
  const diff = Date.now() - ms;
  if (diff < 60_000) return "just now";
  if (diff < 3_600_000) return `${Math.floor(diff / 60_000)} min ago`;
  return timeFormat.format(ms);
}

const failure = (r: MutationResult) => (r.ok ? null : r.message);

/** A comment body as plain text (React escapes it) with mentions as chips. */
export function CommentBody({ body, members }: { body: string; members: CommentMember[] }) {
  return (
    <p className="comment-body">
      {splitBody(body).map((part, i) => {
        if (part.kind === "text") return <span key={i}>{part.text}</span>;
        const member = members.find((m) => m.userId === part.userId);
        return (
          <span key={i} className="mention-chip" title={member ? `${member.name} (${member.role})` : "Former member"}>
            @{member?.name ?? "former member"}
          </span>
        );
      })}
    </p>
  );
}

function CommentItem(props: { thread: ThreadView; comment: CommentView; viewer: CommentsViewer; members: CommentMember[]; api: CommentThreadsApi }) {
  const { comment, viewer } = props;
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const own = comment.authorId === viewer.id && viewer.canComment && !comment.deleted;
  if (comment.deleted) {
    return <li className="comment is-deleted muted">Comment deleted</li>;
  }
  return (
    <li className="comment">
      <div className="comment-meta">
        <span className="comment-avatar" style={{ background: comment.authorColor ?? "#6b7280" }} aria-hidden="true">
          {(comment.authorName ?? "?").slice(0, 1)}
        </span>
        <span className="comment-author">{comment.authorName ?? "Former member"}</span>
        <time className="muted small" dateTime={new Date(comment.createdAt).toISOString()} title={formatLocal(comment.createdAt)}>
          {when(comment.createdAt)}
          {comment.editedAt ? " · edited" : ""}
        </time>
      </div>
      {editing ? (
        <CommentComposer
          members={props.members}
          initialBody={comment.body}
          placeholder="Edit your comment"
          submitLabel="Save"
          autoFocus
          onCancel={() => setEditing(false)}
          onSubmit={async (body) => {
            const err = failure(await props.api.editComment(props.thread.id, comment.id, body));
            if (!err) setEditing(false);
            return err;
          }}
        />
      ) : (
        <CommentBody body={comment.body} members={props.members} />
      )}
      {own && !editing && (
        <div className="comment-actions">
          <button type="button" className="link-button" onClick={() => setEditing(true)}>
            Edit
          </button>
          <button
            type="button"
            className="link-button danger"
            onClick={async () => {
              if (!window.confirm("Delete this comment?")) return;
              setError(failure(await props.api.deleteComment(props.thread.id, comment.id)));
            }}
          >
            Delete
          </button>
        </div>
      )}
      {error && <p className="field-error">{error}</p>}
    </li>
  );
}

/** One thread in the sidebar: quoted text, comments, reply box, resolve/reopen. */
export const ThreadCard = forwardRef<
  HTMLElement,
  {
    thread: ThreadView;
    detached: boolean;
    active: boolean;
    viewer: CommentsViewer;
    members: CommentMember[];
    api: CommentThreadsApi;
    style?: CSSProperties;
    onActivate: () => void;
    /** Detached threads, for editors and owners: put the thread on the selected text. */
    onAttach?: { enabled: boolean; run: () => Promise<void> };
  }
>(function ThreadCard(props, ref) {
  const { thread, viewer } = props;
  const [error, setError] = useState<string | null>(null);
  const resolved = thread.resolvedAt !== null;
  const classes = ["thread-card", props.active && "is-active", resolved && "is-resolved", props.detached && "is-detached"].filter(Boolean).join(" ");
  return (
    <article ref={ref} className={classes} style={props.style} data-thread-id={thread.id} aria-label={`Comment thread on “${thread.quotedText}”`} onClick={props.onActivate}>
      <header className="thread-head">
        <blockquote className="thread-quote" title={thread.quotedText}>
          {thread.quotedText}
        </blockquote>
        {props.detached && (
          <p className="thread-flag detached" title="The text this thread was on has been deleted. The thread is kept.">
            Detached: the text was deleted
          </p>
        )}
        {resolved && <p className="thread-flag resolved">Resolved{thread.resolvedByName ? ` by ${thread.resolvedByName}` : ""}</p>}
      </header>
      <ol className="thread-comments">
        {thread.comments.map((c) => (
          <CommentItem key={c.id} thread={thread} comment={c} viewer={viewer} members={props.members} api={props.api} />
        ))}
      </ol>
      {props.active && viewer.canComment && !resolved && (
        <CommentComposer
          members={props.members}
          placeholder="Reply…"
          submitLabel="Reply"
          onSubmit={async (body) => failure(await props.api.reply(thread.id, body))}
        />
      )}
      {viewer.canResolve && (
        <div className="thread-actions">
          {props.onAttach && (
            <button
              type="button"
              className="button small"
              disabled={!props.onAttach.enabled}
              title={props.onAttach.enabled ? "Anchor this thread to the selected text" : "Select text in the briefing first"}
              onMouseDown={(e) => e.preventDefault()}
              onClick={(e) => {
                e.stopPropagation();
                void props.onAttach!.run();
              }}
            >
              Attach to selection
            </button>
          )}
          <button
            type="button"
            className="button small"
            onClick={async (e) => {
              e.stopPropagation();
              setError(failure(await (resolved ? props.api.reopen(thread.id) : props.api.resolve(thread.id))));
            }}
          >
            {resolved ? "Reopen" : "Resolve"}
          </button>
        </div>
      )}
      {error && <p className="field-error">{error}</p>}
    </article>
  );
});
