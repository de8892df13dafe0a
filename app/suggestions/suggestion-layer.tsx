import type { Editor } from "@tiptap/core";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { EncodedAnchor } from "../comments/anchor";
import { SelectionAction } from "../comments/selection-action";
import type { CommentMember, ThreadView } from "../comments/types";
import type { useMarginLayout } from "../comments/use-margin-layout";
import { SuggestionCard, SuggestionDraftCard, suggestionLabel } from "./suggestion-card";
import { suggestionMarksKey, type SuggestionMark } from "./suggestion-marks";
import type { SuggestedChange } from "./suggesting-mode";
import type { SuggestionKind } from "./target";
import { SUGGEST_TITLE_EVENT, type SuggestTitleDetail } from "./title-events";
import type { SuggestionView } from "./types";
import { suggestionAnchor, topicTitleAnchorAt, useSuggestionPlaces, useSuggestions, type SuggestionPlace } from "./use-suggestions";
import { useSuggestionMoves } from "./use-suggestion-moves";

/**
 * Suggested edits inside the comments margin (docs/decisions/0504): their cards sit among the
 * comment threads, their marks in the text; a "Suggest edit" button (Ctrl+Alt+S) beside the
 * selection or caret opens a one-line box. Editors in Suggesting mode create them by typing.
 */

const DRAFT_ID = "__suggestion_draft__";

/**
 * Detached: the place it changes is gone (its paragraph or topic deleted), or every character of the
 * text it replaces or deletes was deleted, so its range collapsed. Such a suggestion has nothing left
 * to mark in the text; it is listed below the margin instead, never dropped.
 */
function isDetached(s: SuggestionView, place: SuggestionPlace | undefined): boolean {
  if (!place) return true;
  return s.kind === "text" && s.originalText !== "" && place.from === place.to;
}
const itemId = (id: string) => `suggestion:${id}`;

interface Draft {
  kind: SuggestionKind;
  anchor: EncodedAnchor;
  from: number;
  to: number;
  original: string;
}

export function useSuggestionLayer(editor: Editor | null, briefingId: string) {
  const api = useSuggestions(briefingId, editor);
  const places = useSuggestionPlaces(editor, api.suggestions);
  const [draft, setDraft] = useState<Draft | null>(null);
  // The draft on screen now, for a submission that finishes after another draft was opened.
  const draftRef = useRef<Draft | null>(null);
  draftRef.current = draft;
  const [error, setError] = useState<string | null>(null);
  const { upsert, refresh, create } = api;
  const onLive = useCallback((s: SuggestionView | null) => (s ? upsert(s) : void refresh()), [upsert, refresh]);
  const open = useMemo(() => api.suggestions.filter((s) => s.status === "open" && !isDetached(s, places.get(s.id))), [api.suggestions, places]);
  const detached = useMemo(
    () => api.suggestions.filter((s) => s.status === "open" && isDetached(s, places.get(s.id))).sort((a, b) => a.createdAt - b.createdAt),
    [api.suggestions, places],
  );
  // Suggestions follow text that an editor moves (agenda topic Move up/down, drag and drop).
  useSuggestionMoves(editor, Boolean(api.viewer?.canDecide), api.suggestions, api.reanchor, setError);
  const ownedThreads = useMemo(() => new Set(api.suggestions.flatMap((s) => (s.threadId ? [s.threadId] : []))), [api.suggestions]);
  const items = useMemo(() => {
    const list = open.map((s) => ({ id: itemId(s.id), from: places.get(s.id)!.from }));
    if (draft) list.push({ id: DRAFT_ID, from: draft.from });
    return list;
  }, [open, places, draft]);

  const startDraft = useCallback(() => {
    if (!editor || editor.isDestroyed) return;
    const { from, to } = editor.state.selection;
    // Across paragraphs is allowed; the server refuses what it cannot apply (a quote, topic or fact in between).
    if (!editor.state.doc.resolve(from).parent.isTextblock || !editor.state.doc.resolve(to).parent.isTextblock) {
      setError("A suggestion changes text: select text in paragraphs or headings.");
      return;
    }
    const anchor = suggestionAnchor(editor, from, to);
    if (!anchor) return;
    setError(null);
    setDraft({ kind: "text", anchor, from, to, original: editor.state.doc.textBetween(from, to, "\n", " ") });
  }, [editor]);

  // A topic's header asks for a title suggestion: open the box beside the topic, or (a title typed
  // in Suggesting mode) post it at once.
  useEffect(() => {
    const dom = editor && !editor.isDestroyed ? editor.view.dom : null;
    if (!editor || !dom) return;
    const onTitle = (e: Event) => {
      const { pos, title } = (e as CustomEvent<SuggestTitleDetail>).detail;
      const node = editor.state.doc.nodeAt(pos);
      const anchor = node?.type.name === "agendaTopic" ? topicTitleAnchorAt(editor, pos) : null;
      if (!node || !anchor) return;
      const original = String(node.attrs.title ?? "");
      if (title === undefined) {
        setError(null);
        setDraft({ kind: "topicTitle", anchor, from: pos, to: pos, original });
      } else void create("topicTitle", anchor, title).then((r) => setError(r.ok ? null : r.message));
    };
    dom.addEventListener(SUGGEST_TITLE_EVENT, onTitle);
    return () => dom.removeEventListener(SUGGEST_TITLE_EVENT, onTitle);
  }, [editor, create]);

  // Suggesting mode posts each change it gathers through the same route.
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    const storage = (editor.storage as unknown as { suggestingMode?: { onSuggest: ((c: SuggestedChange) => void) | null } }).suggestingMode;
    if (!storage) return;
    storage.onSuggest = (change) => {
      const anchor = suggestionAnchor(editor, change.from, change.to);
      if (!anchor) return;
      void create("text", anchor, change.text).then((r) => setError(r.ok ? null : r.message));
    };
    return () => {
      storage.onSuggest = null;
    };
  }, [editor, create]);

  return { api, places, open, detached, ownedThreads, items, onLive, draft, draftRef, setDraft, startDraft, error, setError, itemId };
}

export type SuggestionLayerState = ReturnType<typeof useSuggestionLayer>;

/** Pushes the open suggestions into the editor's SuggestionMarks decorations. */
export function useSuggestionMarks(editor: Editor | null, layer: SuggestionLayerState, activeId: string | null) {
  const { open, places } = layer;
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    const marks: SuggestionMark[] = open.map((s) => {
      const place = places.get(s.id)!;
      return {
        id: s.id,
        kind: s.kind,
        from: place.from,
        to: place.to,
        replacement: s.replacement,
        color: s.authorColor ?? "#2563eb",
        label: suggestionLabel(s),
        outdated: place.outdated,
        active: activeId === itemId(s.id),
      };
    });
    editor.view.dispatch(editor.state.tr.setMeta(suggestionMarksKey, marks).setMeta("addToHistory", false));
  }, [editor, open, places, activeId]);
}

function mayStartSuggestion(layer: SuggestionLayerState, final: boolean): boolean {
  return Boolean(layer.api.viewer?.canSuggest) && !final;
}

/** Whether "Suggest edit" is offered now: to someone who may suggest, on a selection or caret, with no box open. */
export function canStartSuggestion(layer: SuggestionLayerState, final: boolean, hasSelectionOrCaret: boolean): boolean {
  return mayStartSuggestion(layer, final) && !layer.draft && hasSelectionOrCaret;
}

/** The "Suggest edit" button of the margin's selection bar (beside Comment). */
export function SuggestEditButton(props: { layer: SuggestionLayerState }) {
  return (
    <SelectionAction
      className="button small suggestion-start"
      shortcut="Control+Alt+S"
      title="Suggest a change of the selection, or an insertion at the caret (Ctrl+Alt+S)"
      onClick={props.layer.startDraft}
    >
      Suggest edit
    </SelectionAction>
  );
}

export function SuggestionLayer(props: {
  layer: SuggestionLayerState;
  editor: Editor | null;
  layout: ReturnType<typeof useMarginLayout>;
  members: CommentMember[];
  threads: ThreadView[];
  activeId: string | null;
  setActiveId: (id: string | null) => void;
  /** The briefing is final (live): its text cannot change, so nothing is offered to suggest (the server answers 409). */
  final: boolean;
}) {
  const { layer, layout, setActiveId } = props;
  const { api, draft, setDraft, startDraft } = layer;
  const viewer = api.viewer;
  const maySuggest = mayStartSuggestion(layer, props.final);

  // Ctrl+Alt+S suggests an edit of the selection (or an insertion at the caret), on the document:
  // a commenter's read-only editor never has the keyboard focus.
  useEffect(() => {
    if (!maySuggest) return;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey && e.altKey && !e.shiftKey && !e.metaKey && e.code === "KeyS")) return;
      e.preventDefault();
      startDraft();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [maySuggest, startDraft]);

  useEffect(() => {
    if (draft) setActiveId(DRAFT_ID);
  }, [draft, setActiveId]);

  const draftPlaced = draft !== null && layout.style(DRAFT_ID).visibility !== "hidden";
  return (
    <>
      {layer.error && (
        <p className="field-error small suggestion-error" role="alert">
          {layer.error}
        </p>
      )}
      {draft && (
        <SuggestionDraftCard
          // A new draft is a new box (its own text, focus and busy state), even while the previous one is still being sent.
          key={`${draft.kind}:${draft.from}:${draft.to}`}
          ref={layout.cardRef(DRAFT_ID)}
          style={layout.style(DRAFT_ID)}
          placed={draftPlaced}
          kind={draft.kind}
          original={draft.original}
          onCancel={() => setDraft(null)}
          onSubmit={async (replacement) => {
            const submitted = draft;
            const result = await api.create(submitted.kind, submitted.anchor, replacement);
            if (!result.ok) return result.message;
            // The request can take a while: if another box was opened meanwhile (the next
            // suggestion, a title), that one stays open and keeps the focus.
            if (layer.draftRef.current !== submitted) return null;
            setDraft(null);
            if (result.suggestion) setActiveId(itemId(result.suggestion.id));
            props.editor?.commands.focus?.();
            return null;
          }}
        />
      )}
      {layer.open.map((s) => (
        <SuggestionCard
          key={s.id}
          ref={layout.cardRef(itemId(s.id))}
          style={layout.style(itemId(s.id))}
          suggestion={s}
          outdated={layer.places.get(s.id)?.outdated ?? s.outdated}
          active={props.activeId === itemId(s.id)}
          canDecide={Boolean(viewer?.canDecide) && !props.final}
          canDiscuss={Boolean(viewer?.canSuggest)}
          thread={s.threadId ? (props.threads.find((t) => t.id === s.threadId) ?? null) : null}
          members={props.members}
          api={api}
          onActivate={() => setActiveId(itemId(s.id))}
        />
      ))}
    </>
  );
}
