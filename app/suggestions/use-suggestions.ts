import type { Editor } from "@tiptap/core";
import { useCallback, useEffect, useRef, useState } from "react";
import * as Y from "yjs";
import { bindingOf, useTrackedRanges, type Binding } from "../anchors/use-tracked-ranges";
import { decodeAnchor, encodeAnchor, resolvePosition, type EncodedAnchor } from "../comments/anchor";
import { caretAnchor, titleAnchor } from "./anchor";
import { DECISION_INTERRUPTED, decisionsFor } from "./socket-decisions";
import type { SuggestionKind } from "./target";
import type { SuggestionsPayload, SuggestionsViewer, SuggestionView } from "./types";

export type SuggestionResult = { ok: true; suggestion?: SuggestionView } | { ok: false; message: string };

/** Where a suggestion is in the editor now; `outdated` compares the text there with its original. */
export interface SuggestionPlace {
  from: number;
  to: number;
  outdated: boolean;
}

async function readError(res: Response): Promise<string> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { errors?: Record<string, string[] | undefined> };
    return Object.values(body.errors ?? {}).find((v) => v && v.length)?.[0] ?? `The server answered ${res.status}.`;
  } catch {
    return text.trim() || `The server answered ${res.status}.`;
  }
}

/** The ProseMirror position of the agenda topic a `topicTitle` anchor names, with its node size. */
function topicPlace(editor: Editor, binding: Binding, anchor: EncodedAnchor): { from: number; to: number; title: string } | null {
  const decoded = decodeAnchor(anchor);
  const doc = binding.type.doc;
  if (!decoded || !doc) return null;
  const abs = Y.createAbsolutePositionFromRelativePosition(decoded.start, doc);
  const el = abs && (abs.type as Y.XmlFragment).get?.(abs.index);
  if (!(el instanceof Y.XmlElement) || el._item?.deleted) return null;
  const node = binding.mapping.get(el as unknown as Y.AbstractType<unknown>);
  if (!node) return null;
  let found: { from: number; to: number; title: string } | null = null;
  editor.state.doc.descendants((n, pos) => {
    if (found) return false;
    if (n === node) found = { from: pos, to: pos + n.nodeSize, title: String(n.attrs.title ?? "") };
    return !found;
  });
  return found;
}

/** Each open suggestion's place in the editor (absent when its text or topic is gone). */
export function resolveSuggestionPlaces(editor: Editor, suggestions: SuggestionView[]): Map<string, SuggestionPlace> {
  const binding = bindingOf(editor);
  const out = new Map<string, SuggestionPlace>();
  if (!binding) return out;
  for (const s of suggestions) {
    if (s.status !== "open") continue;
    if (s.kind === "topicTitle") {
      const place = topicPlace(editor, binding, { start: s.anchorStart, end: s.anchorEnd });
      if (place) out.set(s.id, { from: place.from, to: place.to, outdated: place.title !== s.originalText });
      continue;
    }
    const anchor = decodeAnchor({ start: s.anchorStart, end: s.anchorEnd });
    if (!anchor) continue;
    const from = resolvePosition(binding.type, binding.mapping, anchor.start);
    const end = resolvePosition(binding.type, binding.mapping, anchor.end);
    if (from === null || end === null) continue;
    const to = Math.max(from, end);
    const current = editor.state.doc.textBetween(from, Math.min(to, editor.state.doc.content.size), "\n", " ");
    out.set(s.id, { from, to, outdated: current !== s.originalText });
  }
  return out;
}

/** Anchors for a range (a replacement or deletion) or a caret (an insertion) of the editor. */
export function suggestionAnchor(editor: Editor, from: number, to: number): EncodedAnchor | null {
  const binding = bindingOf(editor);
  if (!binding) return null;
  return from === to ? caretAnchor(binding.type, binding.mapping, from) : encodeAnchor(binding.type, binding.mapping, from, to);
}

/** Anchors for the title of the agenda topic at `pos` (the position before the topic node). */
export function topicTitleAnchorAt(editor: Editor, pos: number): EncodedAnchor | null {
  const binding = bindingOf(editor);
  const node = editor.state.doc.nodeAt(pos);
  if (!binding || !node) return null;
  for (const [type, pm] of binding.mapping) if (pm === node && type instanceof Y.XmlElement) return titleAnchor(type);
  return null;
}

/**
 * The briefing's suggested edits: loaded from the JSON route, kept current by the comments' live
 * stream (`suggestion` events, and a reload whenever it reopens), changed through the role-checked
 * POST routes. Anchors naming typing the server has not received yet (409 "not reached") are retried.
 * With `editor` given, accept and reject go over its open socket when it is synced (docs/decisions/0507).
 */
export function useSuggestions(briefingId: string, editor: Editor | null = null) {
  const base = `/briefings/${encodeURIComponent(briefingId)}/suggestions`;
  const [suggestions, setSuggestions] = useState<SuggestionView[]>([]);
  const [viewer, setViewer] = useState<SuggestionsViewer | null>(null);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const upsert = useCallback((s: SuggestionView) => {
    setSuggestions((list) => (list.some((x) => x.id === s.id) ? list.map((x) => (x.id === s.id ? s : x)) : [...list, s]));
  }, []);

  const refresh = useCallback(async () => {
    try {
      const res = await fetch(base, { headers: { Accept: "application/json" } });
      if (!res.ok) return;
      const payload = (await res.json()) as SuggestionsPayload;
      if (!alive.current) return;
      setSuggestions(payload.suggestions);
      setViewer(payload.viewer);
    } catch {
      // Offline: the live stream's reopen loads them again.
    }
  }, [base]);

  const post = useCallback(
    async (path: string, fields: Record<string, string>, retryAhead = false): Promise<SuggestionResult> => {
      for (let attempt = 0; ; attempt++) {
        let res: Response;
        try {
          res = await fetch(base + path, { method: "POST", body: new URLSearchParams(fields), headers: { Accept: "application/json" } });
        } catch {
          return { ok: false, message: "You seem to be offline. Try again when the connection is back." };
        }
        if (res.ok) {
          const body = (await res.json()) as { suggestion?: SuggestionView };
          if (body.suggestion) upsert(body.suggestion);
          if (!body.suggestion) void refresh();
          return { ok: true, suggestion: body.suggestion };
        }
        const message = await readError(res);
        if (!(retryAhead && res.status === 409 && attempt < 5 && /reached the server/.test(message))) return { ok: false, message };
        await new Promise((r) => setTimeout(r, 600));
      }
    },
    [base, upsert, refresh],
  );

  const decide = useCallback(
    async (id: string, decision: "accepted" | "rejected"): Promise<SuggestionResult> => {
      const doc = editor && !editor.isDestroyed ? bindingOf(editor)?.type.doc : null;
      const socket = doc ? decisionsFor(doc) : undefined;
      if (!socket?.ready) return post(`/${id}`, { intent: decision === "accepted" ? "accept" : "reject" });
      const answer = await socket.decide(id, decision);
      if (answer.status === DECISION_INTERRUPTED) {
        void refresh();
        return { ok: false, message: "The connection dropped before the server answered; the list now shows whether it was decided." };
      }
      if (answer.status !== 200) return { ok: false, message: answer.message };
      // The live stream brings the decided suggestion too; this read does not wait for it.
      try {
        const res = await fetch(`${base}/${encodeURIComponent(id)}`, { headers: { Accept: "application/json" } });
        if (res.ok) upsert(((await res.json()) as { suggestion: SuggestionView }).suggestion);
      } catch {
        // Offline again: the live stream's reopen loads the list.
      }
      return { ok: true };
    },
    [editor, base, post, refresh, upsert],
  );

  return {
    suggestions,
    viewer,
    upsert,
    refresh,
    create: (kind: SuggestionKind, anchor: EncodedAnchor, replacement: string) =>
      post("", { intent: "suggest", kind, anchorStart: anchor.start, anchorEnd: anchor.end, replacement }, true),
    accept: (id: string) => decide(id, "accepted"),
    reject: (id: string) => decide(id, "rejected"),
    reply: (id: string, body: string) => post(`/${id}`, { intent: "reply", body }),
    withdraw: (id: string) => post(`/${id}`, { intent: "withdraw" }),
    // After a move: retried while the move is still on its way to the server.
    reanchor: (id: string, anchor: EncodedAnchor) => post(`/${id}`, { intent: "reanchor", anchorStart: anchor.start, anchorEnd: anchor.end }, true),
    acceptAll: (authorId: string) => post("", { intent: "acceptAll", authorId }),
    rejectAll: (authorId: string) => post("", { intent: "rejectAll", authorId }),
  };
}

export type SuggestionsApi = ReturnType<typeof useSuggestions>;

/** Each open suggestion's place in the editor, recomputed after every change (a frame later, once y-tiptap mapped it). */
export function useSuggestionPlaces(editor: Editor | null, suggestions: SuggestionView[]): Map<string, SuggestionPlace> {
  return useTrackedRanges(editor, suggestions, resolveSuggestionPlaces, samePlaces);
}

function samePlaces(a: Map<string, SuggestionPlace>, b: Map<string, SuggestionPlace>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, p] of b) {
    const o = a.get(id);
    if (!o || o.from !== p.from || o.to !== p.to || o.outdated !== p.outdated) return false;
  }
  return true;
}
