import { useCallback, useEffect, useRef, useState } from "react";
import type { EncodedAnchor } from "./anchor";
import type { SuggestionView } from "../suggestions/types";
import type { BriefingEvent, CommentEvent, CommentMember, CommentsPayload, CommentsViewer, ThreadView } from "./types";

export type FieldErrors = Record<string, string[] | undefined>;
export type MutationResult = { ok: true; thread?: ThreadView } | { ok: false; message: string; errors?: FieldErrors };

export interface CommentThreadsState {
  threads: ThreadView[];
  members: CommentMember[];
  viewer: CommentsViewer | null;
  /** "live" while the event stream is open. */
  connection: "loading" | "live" | "reconnecting" | "closed";
  loadError: string | null;
}

const RETRY_AHEAD_MS = 600;
const RETRY_AHEAD_TIMES = 5;

async function readError(res: Response): Promise<{ message: string; errors?: FieldErrors }> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { errors?: FieldErrors };
    const first = Object.values(body.errors ?? {}).find((v) => v && v.length)?.[0];
    return { message: first ?? `The server answered ${res.status}.`, errors: body.errors };
  } catch {
    return { message: text.trim() || `The server answered ${res.status}.` };
  }
}

/**
 * The briefing's comment threads: loaded from the JSON route, kept current by the Server-Sent
 * Events stream (refetched whenever the stream opens, so nothing missed while offline is lost),
 * and changed through the role-checked POST routes.
 */
export function useCommentThreads(
  briefingId: string,
  onBriefingEvent?: (event: BriefingEvent) => void,
  /** Suggested edits share the stream: each change, and null whenever the stream (re)opens. */
  onSuggestion?: (suggestion: SuggestionView | null) => void,
) {
  const base = `/briefings/${encodeURIComponent(briefingId)}/comments`;
  const briefingEventRef = useRef(onBriefingEvent);
  briefingEventRef.current = onBriefingEvent;
  const suggestionRef = useRef(onSuggestion);
  suggestionRef.current = onSuggestion;
  const [state, setState] = useState<CommentThreadsState>({ threads: [], members: [], viewer: null, connection: "loading", loadError: null });
  const alive = useRef(true);

  const upsert = useCallback((thread: ThreadView) => {
    setState((s) => {
      const i = s.threads.findIndex((t) => t.id === thread.id);
      const threads = i < 0 ? [...s.threads, thread] : s.threads.map((t) => (t.id === thread.id ? thread : t));
      return { ...s, threads };
    });
  }, []);
  const drop = useCallback((threadId: string) => setState((s) => ({ ...s, threads: s.threads.filter((t) => t.id !== threadId) })), []);

  const refresh = useCallback(async () => {
    try {
      const res = await fetch(base, { headers: { Accept: "application/json" } });
      if (!res.ok) throw new Error((await readError(res)).message);
      const payload = (await res.json()) as CommentsPayload;
      if (alive.current) setState((s) => ({ ...s, ...payload, loadError: null }));
    } catch (err) {
      if (alive.current) setState((s) => ({ ...s, loadError: err instanceof Error ? err.message : "Comments could not be loaded." }));
    }
  }, [base]);

  useEffect(() => {
    alive.current = true;
    const source = new EventSource(`${base}/events`);
    let opened = false;
    source.onopen = () => {
      setState((s) => ({ ...s, connection: "live" }));
      void refresh();
      suggestionRef.current?.(null);
      // A status change may have gone by while the stream was down: the page reads it again.
      if (opened) briefingEventRef.current?.({ type: "reconnected" });
      opened = true;
    };
    source.onmessage = (e: MessageEvent<string>) => {
      const event = JSON.parse(e.data) as CommentEvent;
      if (event.type === "thread") upsert(event.thread);
      else if (event.type === "threadDeleted") drop(event.threadId);
      else if (event.type === "suggestion") suggestionRef.current?.(event.suggestion);
      else if (event.type === "access") {
        void refresh();
        suggestionRef.current?.(null);
      }
      else if (event.type === "status" || event.type === "review" || event.type === "deleted") briefingEventRef.current?.(event);
    };
    source.addEventListener("revoked", () => {
      source.close();
      setState((s) => ({ ...s, connection: "closed", viewer: s.viewer && { ...s.viewer, canComment: false, canResolve: false } }));
    });
    source.onerror = () => {
      // The browser reconnects by itself unless the server refused (401/403/404): then it stays closed.
      setState((s) => ({ ...s, connection: source.readyState === EventSource.CLOSED ? "closed" : "reconnecting" }));
    };
    return () => {
      alive.current = false;
      source.close();
    };
  }, [base, refresh, upsert, drop]);

  const post = useCallback(
    async (path: string, fields: Record<string, string>): Promise<MutationResult> => {
      let res: Response;
      try {
        res = await fetch(base + path, { method: "POST", body: new URLSearchParams(fields), headers: { Accept: "application/json" } });
      } catch {
        return { ok: false, message: "You seem to be offline. Try again when the connection is back." };
      }
      if (!res.ok) return { ok: false, ...(await readError(res)), ...(res.status === 409 ? { retry: true } : {}) } as MutationResult;
      const body = (await res.json()) as { thread?: ThreadView; threadId?: string; deleted?: boolean };
      if (body.thread) upsert(body.thread);
      if (body.deleted && body.threadId) drop(body.threadId);
      return { ok: true, thread: body.thread };
    },
    [base, upsert, drop],
  );

  // An anchor may name typing (or a move) the server has not received yet: retry for a few seconds.
  const postAnchor = useCallback(
    async (path: string, fields: Record<string, string>): Promise<MutationResult> => {
      for (let attempt = 0; ; attempt++) {
        const result = await post(path, fields);
        if (result.ok || !("retry" in result) || attempt >= RETRY_AHEAD_TIMES) return result;
        await new Promise((r) => setTimeout(r, RETRY_AHEAD_MS));
      }
    },
    [post],
  );

  const createThread = useCallback(
    (anchor: EncodedAnchor, body: string) => postAnchor("", { anchorStart: anchor.start, anchorEnd: anchor.end, body }),
    [postAnchor],
  );
  /** Points a thread at other text: its text was moved, or an editor attaches a detached thread. */
  const reanchor = useCallback(
    async (threadId: string, anchor: EncodedAnchor): Promise<MutationResult> => {
      // Shown at the new place at once; the server's answer (or a reload on failure) settles it.
      setState((s) => ({ ...s, threads: s.threads.map((t) => (t.id === threadId ? { ...t, anchorStart: anchor.start, anchorEnd: anchor.end } : t)) }));
      const result = await postAnchor(`/${threadId}`, { intent: "reanchor", anchorStart: anchor.start, anchorEnd: anchor.end });
      if (!result.ok) void refresh();
      return result;
    },
    [postAnchor, refresh],
  );

  return {
    ...state,
    refresh,
    createThread,
    reanchor,
    reply: (threadId: string, body: string) => post(`/${threadId}`, { intent: "reply", body }),
    resolve: (threadId: string) => post(`/${threadId}`, { intent: "resolve" }),
    reopen: (threadId: string) => post(`/${threadId}`, { intent: "reopen" }),
    editComment: (threadId: string, commentId: string, body: string) => post(`/${threadId}/${commentId}`, { intent: "edit", body }),
    deleteComment: (threadId: string, commentId: string) => post(`/${threadId}/${commentId}`, { intent: "delete" }),
  };
}

export type CommentThreadsApi = ReturnType<typeof useCommentThreads>;
