import type { Editor } from "@tiptap/core";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { EncodedAnchor } from "./anchor";
import { SUGGESTION_ACTIVATE_EVENT } from "../suggestions/suggestion-marks";
import { commentHighlightsKey, THREAD_ACTIVATE_EVENT, type CommentHighlightsMeta, type HighlightRange } from "./comment-highlights";
import { CommentComposer } from "./comment-composer";
import { ThreadCard } from "./thread-card";
import { anchorForSelection, useAnchorRanges } from "./use-anchor-ranges";
import { useCommentMoves } from "./use-comment-moves";
import type { BriefingEvent } from "./types";
import { useCommentThreads } from "./use-comment-threads";
import { useMarginLayout } from "./use-margin-layout";
import { SelectionAction } from "./selection-action";
import { canStartSuggestion, SuggestEditButton, SuggestionLayer, useSuggestionLayer, useSuggestionMarks } from "../suggestions/suggestion-layer";
import { DetachedSuggestions } from "../suggestions/detached-suggestions";

interface Draft {
  anchor: EncodedAnchor;
  from: number;
  to: number;
  text: string;
}

const DRAFT_ID = "__draft__";

/**
 * The comments sidebar beside the editor: threads aligned with the text they are anchored to
 * (in document order; detached threads last), a margin "Comment" button for the selection, and
 * the highlight ranges pushed into the CommentHighlights editor extension.
 */
export function CommentsPanel({
  editor,
  briefingId,
  final,
  onBriefingEvent,
}: {
  editor: Editor | null;
  briefingId: string;
  /** The briefing's status is final, as the page shows it live. */
  final: boolean;
  onBriefingEvent?: (event: BriefingEvent) => void;
}) {
  const suggestions = useSuggestionLayer(editor, briefingId);
  const api = useCommentThreads(briefingId, onBriefingEvent, suggestions.onLive);
  const { viewer, members } = api;
  // A suggestion's discussion is shown on its own card, not as a separate thread.
  const threads = useMemo(() => api.threads.filter((t) => !suggestions.ownedThreads.has(t.id)), [api.threads, suggestions.ownedThreads]);
  const ranges = useAnchorRanges(editor, threads);
  const [showResolved, setShowResolved] = useState(false);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  // The draft on screen now, for a submission that finishes after another draft was opened.
  const draftRef = useRef<Draft | null>(null);
  draftRef.current = draft;
  const [selection, setSelection] = useState<{ from: number; to: number } | null>(null);
  const [caret, setCaret] = useState<number | null>(null);

  const [attachError, setAttachError] = useState<string | null>(null);

  // Threads follow text that an editor moves (agenda topic Move up/down, drag and drop).
  useCommentMoves(editor, viewer?.canResolve ?? false, threads, api.reanchor, setAttachError);

  const attach = useCallback(
    async (threadId: string) => {
      if (!editor) return;
      const picked = anchorForSelection(editor);
      if (!picked) return;
      const result = await api.reanchor(threadId, picked.anchor);
      setAttachError(result.ok ? null : result.message);
      if (result.ok) setActiveId(threadId);
    },
    [editor, api],
  );

  const resolvedCount = threads.filter((t) => t.resolvedAt !== null).length;
  const openCount = threads.length - resolvedCount;

  // Anchored threads in document order, then detached ones, oldest first.
  const visible = useMemo(() => {
    const shown = threads.filter((t) => showResolved || t.resolvedAt === null);
    const anchored = shown.filter((t) => ranges.get(t.id)).sort((a, b) => ranges.get(a.id)!.from - ranges.get(b.id)!.from);
    const detached = shown.filter((t) => !ranges.get(t.id)).sort((a, b) => a.createdAt - b.createdAt);
    return { anchored, detached };
  }, [threads, ranges, showResolved]);

  // Highlights in the editor follow what the panel shows.
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    const list: HighlightRange[] = visible.anchored.map((t) => ({ threadId: t.id, ...ranges.get(t.id)!, resolved: t.resolvedAt !== null }));
    if (draft) list.push({ threadId: DRAFT_ID, from: draft.from, to: draft.to, draft: true });
    const meta: CommentHighlightsMeta = { ranges: list, activeThreadId: activeId };
    editor.view.dispatch(editor.state.tr.setMeta(commentHighlightsKey, meta).setMeta("addToHistory", false));
  }, [editor, visible, ranges, draft, activeId]);

  // Clicking highlighted text focuses its thread.
  useEffect(() => {
    const dom = editor && !editor.isDestroyed ? editor.view.dom : null;
    if (!dom) return;
    const onActivate = (e: Event) => setActiveId((e as CustomEvent<{ threadId: string }>).detail.threadId);
    const onSuggestion = (e: Event) => setActiveId(suggestions.itemId((e as CustomEvent<{ id: string }>).detail.id));
    dom.addEventListener(THREAD_ACTIVATE_EVENT, onActivate);
    dom.addEventListener(SUGGESTION_ACTIVATE_EVENT, onSuggestion);
    return () => {
      dom.removeEventListener(THREAD_ACTIVATE_EVENT, onActivate);
      dom.removeEventListener(SUGGESTION_ACTIVATE_EVENT, onSuggestion);
    };
  }, [editor, suggestions]);

  // The margin "Comment" button follows a non-empty selection.
  useEffect(() => {
    if (!editor) return;
    const update = () => {
      const { from, to, empty } = editor.state.selection;
      setSelection(empty ? null : { from, to });
      setCaret(empty ? from : null);
    };
    update();
    editor.on("selectionUpdate", update);
    return () => {
      editor.off("selectionUpdate", update);
    };
  }, [editor]);

  const startDraft = useCallback(() => {
    if (!editor) return;
    const picked = anchorForSelection(editor);
    if (picked) {
      setDraft(picked);
      setActiveId(DRAFT_ID);
    }
  }, [editor]);

  const activate = useCallback(
    (id: string) => {
      setActiveId(id);
      const range = ranges.get(id);
      if (!editor || editor.isDestroyed || !range) return;
      const { node } = editor.view.domAtPos(range.from);
      const el = node instanceof Element ? node : node.parentElement;
      el?.scrollIntoView({ block: "nearest", behavior: "smooth" });
    },
    [editor, ranges],
  );

  // `?thread=<id>` (links from the Mentions page) opens the briefing on that thread.
  const requestedThread = useRef<string | null>(typeof window === "undefined" ? null : new URL(window.location.href).searchParams.get("thread"));
  useEffect(() => {
    const id = requestedThread.current;
    const thread = id ? threads.find((t) => t.id === id) : undefined;
    if (!id || !thread || !ranges.has(id)) return;
    requestedThread.current = null;
    if (thread.resolvedAt !== null) setShowResolved(true);
    activate(id);
  }, [threads, ranges, activate]);

  const anchoredItems = useMemo(() => {
    const items = visible.anchored.map((t) => ({ id: t.id, from: ranges.get(t.id)!.from }));
    if (draft) items.push({ id: DRAFT_ID, from: draft.from });
    items.push(...suggestions.items);
    return items.sort((a, b) => a.from - b.from);
  }, [visible.anchored, ranges, draft, suggestions.items]);
  const layout = useMarginLayout(editor, anchoredItems, activeId, selection?.from ?? caret);
  useSuggestionMarks(editor, suggestions, activeId);

  // Scroll the focused card into view when the text was clicked, once the layout has placed it:
  // a card not placed yet sits hidden at the top of the margin, and scrolling to it jumped the page.
  const cardRef = layout.cardRef;
  const placed = activeId !== null && layout.style(activeId).visibility !== "hidden";
  useEffect(() => {
    if (activeId && placed) cardRef(activeId).current?.scrollIntoView?.({ block: "nearest" });
  }, [activeId, placed, cardRef]);

  // A new comment's box takes the keyboard once it is placed beside its text (a hidden box cannot
  // take focus, which is why autoFocus left it unfocused); preventScroll keeps the page where it is.
  const draftPlaced = draft !== null && layout.style(DRAFT_ID).visibility !== "hidden";
  useEffect(() => {
    if (!draftPlaced) return;
    cardRef(DRAFT_ID).current?.querySelector("textarea")?.focus({ preventScroll: true });
  }, [draftPlaced, cardRef]);

  // Ctrl+Alt+M comments on the selection, as in Google Docs. On the document, not the editor: a
  // commenter's read-only editor never has the keyboard focus.
  useEffect(() => {
    if (!editor || !viewer?.canComment) return;
    const dom = window.document;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey && e.altKey && !e.shiftKey && !e.metaKey && e.code === "KeyM")) return;
      e.preventDefault();
      if (!editor.state.selection.empty) startDraft();
    };
    dom.addEventListener("keydown", onKey);
    return () => dom.removeEventListener("keydown", onKey);
  }, [editor, viewer?.canComment, startDraft]);

  if (!viewer) {
    return (
      <aside className="comments-panel" aria-label="Comments">
        <h2 className="side-heading">Comments</h2>
        <p className="muted small">{api.loadError ?? "Loading comments…"}</p>
      </aside>
    );
  }

  const canStart = viewer.canComment && selection !== null && !draft;
  const suggestShown = canStartSuggestion(suggestions, final, selection !== null || caret !== null);
  return (
    <aside className="comments-panel" aria-label="Comments" data-connection={api.connection}>
      <div className="comments-header">
        <h2 className="side-heading">
          Comments <span className="muted small">{openCount} open</span>
        </h2>
        {resolvedCount > 0 && (
          <label className="small comments-filter">
            <input type="checkbox" checked={showResolved} onChange={(e) => setShowResolved(e.target.checked)} /> Show resolved ({resolvedCount})
          </label>
        )}
        {api.connection === "reconnecting" && <p className="muted small">Reconnecting…</p>}
        {api.loadError && <p className="field-error small">{api.loadError}</p>}
      </div>
      <div className="comments-margin" ref={layout.containerRef} style={{ minHeight: layout.height }}>
        {layout.buttonTop !== null && (canStart || suggestShown) && (
          // One bar beside the selection or caret, above the cards it may cover.
          <div className="selection-actions" role="toolbar" aria-label="Selection" style={{ top: layout.buttonTop }}>
            {canStart && (
              <SelectionAction className="button small primary comment-start" shortcut="Control+Alt+M" title="Comment on the selection (Ctrl+Alt+M)" onClick={startDraft}>
                Comment
              </SelectionAction>
            )}
            {suggestShown && <SuggestEditButton layer={suggestions} />}
          </div>
        )}
        <SuggestionLayer
          layer={suggestions}
          editor={editor}
          layout={layout}
          members={members}
          threads={api.threads}
          activeId={activeId}
          setActiveId={setActiveId}
          final={final}
        />
        {draft && (
          <article key={`${draft.from}:${draft.to}`} ref={layout.cardRef(DRAFT_ID)} className="thread-card is-active is-draft" style={layout.style(DRAFT_ID)} aria-label="New comment">
            <blockquote className="thread-quote">{draft.text.length > 160 ? `${draft.text.slice(0, 159)}…` : draft.text}</blockquote>
            <CommentComposer
              members={members}
              placeholder="Add a comment…"
              submitLabel="Comment"
              onCancel={() => setDraft(null)}
              onSubmit={async (body) => {
                const submitted = draft;
                const result = await api.createThread(submitted.anchor, body);
                if (!result.ok) return result.message;
                // A box opened while the request ran (the next comment) stays open.
                if (draftRef.current !== submitted) return null;
                setDraft(null);
                if (result.thread) setActiveId(result.thread.id);
                return null;
              }}
            />
          </article>
        )}
        {visible.anchored.map((t) => (
          <ThreadCard
            key={t.id}
            ref={layout.cardRef(t.id)}
            style={layout.style(t.id)}
            thread={t}
            detached={false}
            active={t.id === activeId}
            viewer={viewer}
            members={members}
            api={api}
            onActivate={() => activate(t.id)}
          />
        ))}
        {threads.length === 0 && !draft && (
          <p className="muted small comments-empty">{viewer.canComment ? "No comments yet. Select text in the briefing and choose Comment." : "No comments yet."}</p>
        )}
      </div>
      {visible.detached.length > 0 && (
        <section className="comments-detached" aria-label="Detached threads">
          <h3 className="small muted">Text deleted ({visible.detached.length})</h3>
          {viewer.canResolve && <p className="small muted">To put a thread back on text, select that text and choose “Attach to selection”.</p>}
          {attachError && <p className="field-error small">{attachError}</p>}
          {visible.detached.map((t) => (
            <ThreadCard
              key={t.id}
              thread={t}
              detached
              onAttach={viewer.canResolve ? { enabled: selection !== null, run: () => attach(t.id) } : undefined}
              active={t.id === activeId}
              viewer={viewer}
              members={members}
              api={api}
              onActivate={() => setActiveId(t.id)}
            />
          ))}
        </section>
      )}
      <DetachedSuggestions suggestions={suggestions.detached} api={suggestions.api} canDecide={Boolean(suggestions.api.viewer?.canDecide) && !final} />
    </aside>
  );
}
