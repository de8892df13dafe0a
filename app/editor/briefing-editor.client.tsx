import { EditorContent } from "@tiptap/react";
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { AgendaOutline } from "./agenda-outline";
import type { CollabSession, CollabSnapshot } from "./collab-provider";
import { othersEditingIn } from "./editing-in-range";
import type { SendLimits } from "./paced-sender";
import { maxChangeBytes } from "./paste-guard";
import { EditorEnvProvider, type EditorEnv, type TeamMember } from "./editor-env";
import { FactPicker } from "./fact-picker";
import { BlockDatalists } from "./node-views/quote-view";
import { PresenceList } from "./presence-list";
import { ReadOnlyBanner, type ReadOnlyReason } from "./read-only-banner";
import { SaveStatus } from "./save-status";
import { searchHitFromUrl, showSearchHit } from "./search-hit";
import { SlashMenuPopup } from "./slash-menu";
import { Toolbar } from "./toolbar";
import { PortionMarkControl } from "./portion-mark-control";
import { useLiveLevel } from "./use-live-level";
import type { ClassificationLevel } from "../../extensions/portion-mark/levels";
import { useBriefingEditor } from "./use-briefing-editor";
import { useCollabSession } from "./use-collab-session";
import { CommentsPanel } from "../comments/comments-panel";
import { SuggestingToggle } from "../suggestions/suggesting-toggle";
import type { BriefingEvent } from "../comments/types";

export interface BriefingEditorProps {
  briefingId: string;
  teamId: string;
  user: { id: string; name: string; color: string };
  /** What the server allows right now (role and briefing status); the socket enforces it too. */
  editable: boolean;
  canComment: boolean;
  role: string;
  status: string;
  members: TeamMember[];
  factStaleMonths: number;
  /** The server's limits on what one user sends over the socket (server/config.ts). */
  collabLimits: SendLimits;
  /** Who finalized it, when it is final. */
  finalizedBy?: string | null;
  /** Called when the server changed this user's access while the page is open (re-run the loader). */
  onAccessChanged?: () => void;
  /** Status changes and deletion, from the live comments stream. */
  onBriefingEvent?: (event: BriefingEvent) => void;
  /** The team's classification levels and the brief's minimum level (portion marks, ADR 0406). */
  levels: ClassificationLevel[];
  minimumLevel: string;
  /** The level derived from the live document, each time a portion mark changes it. */
  onLevelChange?: (level: string) => void;
}

/** The live collaborative editor (client-only; the route loads it lazily after hydration). */
export default function BriefingEditor(props: BriefingEditorProps) {
  const { session, snapshot } = useCollabSession(props.briefingId, props.user.id, props.collabLimits, !props.editable);
  const onAccessChanged = useRef(props.onAccessChanged);
  onAccessChanged.current = props.onAccessChanged;

  useEffect(() => {
    if (snapshot.problem?.kind === "signed-out") {
      const back = window.location.pathname + window.location.search;
      window.location.assign(`/login?redirectTo=${encodeURIComponent(back)}`);
    }
  }, [snapshot.problem]);
  useEffect(() => {
    if (snapshot.downgradedToReadOnly) onAccessChanged.current?.();
  }, [snapshot.downgradedToReadOnly]);
  // The page's data says this user may write again (reopened, or the role came back).
  useEffect(() => {
    if (props.editable) session?.writeRestored();
  }, [props.editable, session]);

  // Finalizing also downgrades the socket; "final" says why, better than "your access changed".
  const reason: ReadOnlyReason | null =
    !props.editable && props.status === "final"
      ? "final"
      : snapshot.downgradedToReadOnly
        ? "downgraded"
        : props.editable
          ? null
          : props.role === "commenter"
            ? "commenter"
            : "viewer";

  const readOnly = reason !== null || Boolean(snapshot.problem?.terminal);
  useEffect(() => {
    session?.setReadOnly(readOnly);
  }, [session, readOnly]);

  const banner =
    snapshot.problem && snapshot.problem.kind !== "read-only" ? (
      <div className="editor-problem" role="alert">
        <p>{snapshot.problem.message}</p>
        {(snapshot.problem.kind === "reload" || snapshot.problem.kind === "diverged") && (
          <button type="button" className="button small primary" onClick={() => window.location.reload()}>
            Reload now
          </button>
        )}
        {snapshot.problem.kind === "changes-refused" && session && <RefusedChangesActions session={session} />}
      </div>
    ) : reason ? (
      <ReadOnlyBanner reason={reason} finalizedBy={props.finalizedBy} />
    ) : null;

  if (session && snapshot.ready) {
    return <LiveEditor {...props} session={session} snapshot={snapshot} readOnly={readOnly} banner={banner} />;
  }
  return (
    <div className="editor-layout" data-briefing-id={props.briefingId}>
      <div className="editor-main">
        {banner}
        <div className="editor-card editor-waiting">
          <div className="editor-topbar">
            <span />
            <SaveStatus snapshot={snapshot} />
          </div>
          <p className="muted">{snapshot.problem ? "The briefing could not be opened." : "Loading the briefing…"}</p>
        </div>
      </div>
      <aside className="editor-side" />
    </div>
  );
}

/**
 * The way out of a device copy the server will never accept: keep its text as a file, then drop
 * the copy and start again from the server's briefing. Reloading alone would send it again.
 */
function RefusedChangesActions({ session }: { session: CollabSession }) {
  const [downloaded, setDownloaded] = useState(false);
  const [discarding, setDiscarding] = useState(false);
  return (
    <span className="editor-problem-actions">
      <button
        type="button"
        className="button small"
        onClick={() => {
          session.downloadLocalCopy();
          setDownloaded(true);
        }}
      >
        Download your unsent changes
      </button>
      <button
        type="button"
        className={`button small${downloaded ? " primary" : ""}`}
        disabled={discarding}
        onClick={() => {
          if (!downloaded && !window.confirm("Discard the changes on this device without downloading them?")) return;
          setDiscarding(true);
          void session.discardLocalCopy().finally(() => window.location.reload());
        }}
      >
        Discard local changes and reload
      </button>
    </span>
  );
}

function LiveEditor(props: BriefingEditorProps & { session: CollabSession; snapshot: CollabSnapshot; readOnly: boolean; banner: ReactNode }) {
  const { session, snapshot, readOnly } = props;
  const colorOf = useMemo(() => {
    const byId = new Map(props.members.map((m) => [m.userId, m.color]));
    return (userId: string) => (userId === props.user.id ? props.user.color : byId.get(userId));
  }, [props.members, props.user.id, props.user.color]);
  const [pasteRefused, setPasteRefused] = useState<string | null>(null);
  const pasteGuard = useMemo(() => ({ maxBytes: maxChangeBytes(props.collabLimits.maxMessageBytes), onRefused: setPasteRefused }), [props.collabLimits.maxMessageBytes]);
  const editor = useBriefingEditor(session, props.user, !readOnly, colorOf, pasteGuard);
  const [pickerOpen, setPickerOpen] = useState(false);
  const surfaceRef = useRef<HTMLDivElement>(null);

  // Opened from a search hit: once, on the synced document (this component mounts when synced).
  useEffect(() => {
    const hit = searchHitFromUrl(window.location.href);
    if (editor && hit) showSearchHit(editor, hit.query, hit.hitBlockId);
  }, [editor]);

  useLiveLevel(editor, props.levels, props.minimumLevel, props.onLevelChange);

  const ui = useMemo(() => ({ openFactPicker: () => setPickerOpen(true) }), []);
  const env: EditorEnv = useMemo(
    () => ({
      teamId: props.teamId,
      members: props.members,
      factStaleMonths: props.factStaleMonths,
      readOnly,
      canSuggest: props.canComment && props.status !== "final",
      openFactPicker: ui.openFactPicker,
      othersEditingIn: (from: number, to: number) => (editor ? othersEditingIn(editor, session.provider.awareness, from, to) : []),
    }),
    [props.teamId, props.members, props.factStaleMonths, readOnly, props.canComment, props.status, ui, editor, session],
  );

  return (
    <EditorEnvProvider value={env}>
      <div className="editor-layout" data-briefing-id={props.briefingId}>
        <div className="editor-main">
          {props.banner}
          {pasteRefused && (
            <div className="editor-problem paste-refused" role="alert" data-testid="paste-refused">
              <p>{pasteRefused}</p>
              <button type="button" className="button small" onClick={() => setPasteRefused(null)}>
                Dismiss
              </button>
            </div>
          )}
          <div className="editor-card">
            <div className="editor-topbar">
              {editor && !readOnly ? <Toolbar editor={editor} ui={ui} disabled={false} /> : <span className="muted small">Read-only</span>}
              {editor && !readOnly ? <PortionMarkControl editor={editor} levels={props.levels} /> : null}
              {editor && !readOnly && <SuggestingToggle editor={editor} />}
              <SaveStatus snapshot={snapshot} />
            </div>
            <div className="editor-surface" ref={surfaceRef}>
              <EditorContent editor={editor} />
              {editor && !readOnly && <SlashMenuPopup editor={editor} ui={ui} container={surfaceRef} />}
            </div>
          </div>
        </div>
        <CommentsPanel editor={editor} briefingId={props.briefingId} final={props.status === "final"} onBriefingEvent={props.onBriefingEvent} />
        <aside className="editor-side">
          <section>
            <h2 className="side-heading">In this briefing</h2>
            <PresenceList awareness={session.provider.awareness} you={props.user} colorOf={colorOf} />
          </section>
          {editor && <AgendaOutline editor={editor} />}
        </aside>
      </div>
      <BlockDatalists />
      {editor && pickerOpen && <FactPicker editor={editor} teamId={props.teamId} staleMonths={props.factStaleMonths} onClose={() => setPickerOpen(false)} />}
    </EditorEnvProvider>
  );
}
