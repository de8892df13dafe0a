import * as idb from "lib0/indexeddb";
import { IndexeddbPersistence } from "y-indexeddb";
import * as authProtocol from "y-protocols/auth";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { COLLAB_FIELD, EDITOR_SCHEMA_VERSION } from "../../extensions";
import { formatBytes } from "./byte-size";
import { changesRefusedProblem, problemFromClose, problemFromPageStatus, type ConnectionProblem } from "./connection-problems";
import { PacedSender, type SendLimits } from "./paced-sender";
import { SocketDecisions } from "../suggestions/socket-decisions";
import { SaveTracker } from "./save-tracker";
import { downloadDocumentText } from "./unsent-changes";

/**
 * "saved": the server confirmed every local change (see SaveTracker).
 * "saving": connected, some local change not confirmed yet.
 * "offline": not connected; edits are kept in IndexedDB and sent on reconnect.
 * "connecting": first connection of this page, nothing to save yet.
 * "stopped": the server refused the connection for good (see `problem`).
 */
export type SaveStatus = "connecting" | "saved" | "saving" | "offline" | "stopped";

export interface CollabSnapshot {
  connection: "connecting" | "connected" | "disconnected";
  /** The local copy from IndexedDB has been loaded into the document. */
  localLoaded: boolean;
  /** Synced with the server at least once since the page opened. */
  everSynced: boolean;
  /**
   * The document's content is known (synced, or a non-empty local copy exists), so an editor can
   * be shown without ever creating content in an empty document (the server seeds briefings).
   */
  ready: boolean;
  save: SaveStatus;
  /** Local changes the server has not confirmed. */
  unconfirmed: boolean;
  problem: ConnectionProblem | null;
  /** The server downgraded this connection to read-only while the page was open. */
  downgradedToReadOnly: boolean;
}

/** y-websocket's message type for y-protocols auth messages. */
const MESSAGE_AUTH = 2;

export interface CollabSessionOptions {
  briefingId: string;
  userId: string;
  /** Defaults to the page's origin with ws:/wss:. */
  serverUrl?: string;
  /** A URL that answers with the same access checks as the socket upgrade; defaults to the page. */
  accessCheckUrl?: string;
  /** The server's limits on what this user sends (the page's loader has them from server/config.ts). */
  limits: SendLimits;
  /** Read-only from the start (the page's data says so); see setReadOnly. */
  readOnly?: boolean;
}

/** After this many attempts in a row that never opened, ask the page why (then every 5th). */
const DIAGNOSE_AFTER_FAILURES = 2;

/** IndexedDB database name: per user too, so two accounts on one browser never share a copy. */
export function localStoreName(briefingId: string, userId: string) {
  return `summit-desk:${userId}:${briefingId}`;
}

function defaultServerUrl() {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${window.location.host}/collab`;
}

/**
 * Owns one briefing's Y.Doc, its IndexedDB copy and its WebSocket provider for the lifetime of
 * the editor page, and reduces their events to one immutable snapshot for React.
 */
export class CollabSession {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly local: IndexeddbPersistence;
  private readonly tracker: SaveTracker;
  private readonly sender: PacedSender;
  /** Suggestions accepted and rejected over this socket (docs/decisions/0507). */
  private readonly decisions: SocketDecisions;
  private readonly briefingId: string;
  private readonly listeners = new Set<() => void>();
  private snapshot: CollabSnapshot;
  private localLoaded = false;
  private everSynced = false;
  private problem: ConnectionProblem | null = null;
  private downgraded = false;
  private destroyed = false;
  private openedThisAttempt = false;
  private failedAttempts = 0;
  private readonly accessCheckUrl: string;

  constructor(opts: CollabSessionOptions) {
    this.accessCheckUrl = opts.accessCheckUrl ?? window.location.pathname;
    this.briefingId = opts.briefingId;
    this.local = new IndexeddbPersistence(localStoreName(opts.briefingId, opts.userId), this.doc);
    this.provider = new WebsocketProvider(opts.serverUrl ?? defaultServerUrl(), opts.briefingId, this.doc, {
      connect: true,
      // The server closes with 4504 when this tab's schema is older than its own.
      params: { schema: String(EDITOR_SCHEMA_VERSION) },
      shouldReconnect: (event) => !this.onServerClose(event.code, event.reason),
    });
    // Before the tracker: every message the provider sends, the tracker's probes too, goes through
    // the sender in order, so a probe's answer still covers everything sent before it.
    this.sender = new PacedSender(this.provider, opts.limits, (err) => {
      this.problem = changesRefusedProblem(
        `one change is ${formatBytes(err.bytes)}, larger than the ${formatBytes(err.maxBytes)} one message to the server may carry`,
      );
      this.provider.disconnect();
      this.afterProblem(this.problem);
    });
    this.sender.holdUpdates = opts.readOnly ?? false;
    this.tracker = new SaveTracker(this.doc, this.provider);
    this.decisions = new SocketDecisions(this.provider);
    // y-websocket only logs "permission denied"; for us it means the connection is read-only now.
    this.provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
      authProtocol.readAuthMessage(decoder, this.doc, () => {
        this.downgraded = true;
        queueMicrotask(this.update);
      });
    };
    this.snapshot = this.compute();

    void this.local.whenSynced.then(() => {
      this.localLoaded = true;
      this.update();
    });
    this.provider.on("status", ({ status }) => {
      if (status === "connecting") this.openedThisAttempt = false;
      if (status === "connected") {
        this.openedThisAttempt = true;
        this.failedAttempts = 0;
      }
      this.update();
    });
    this.provider.on("connection-close", (event) => {
      if (event && !this.openedThisAttempt) this.onRefusedAttempt();
    });
    this.provider.on("sync", (synced: boolean) => {
      if (synced) this.everSynced = true;
      this.update();
    });
    this.tracker.subscribe(this.update);
    window.addEventListener("offline", this.onBrowserOffline);
    window.addEventListener("online", this.onBrowserOnline);
  }

  getSnapshot = (): CollabSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * The page learned that this user may write again (a final briefing was reopened, or a role came
   * back): the server has already lifted the read-only state of this socket, so lift ours.
   */
  writeRestored() {
    if (this.destroyed || !this.downgraded) return;
    this.downgraded = false;
    this.update();
  }

  /** Retries after a terminal close, e.g. once the user has signed in again in another tab. */
  reconnect() {
    if (this.destroyed) return;
    this.problem = null;
    this.provider.connect();
    this.update();
  }

  /** Whether the editor is read-only now: then no document update is sent (see PacedSender). */
  setReadOnly(readOnly: boolean) {
    this.sender.holdUpdates = readOnly;
  }

  /** Saves the text of this device's copy (refused changes included) as a file. */
  downloadLocalCopy() {
    downloadDocumentText(this.doc.getXmlFragment(COLLAB_FIELD), this.briefingId);
  }

  /**
   * Drops this device's copy of the briefing (its IndexedDB store) after the server refused what
   * it holds; the caller reloads the page, which then starts from the server's briefing.
   */
  async discardLocalCopy(): Promise<void> {
    this.provider.disconnect();
    // Not `clearData()`: it does not wait for the database to be deleted, and a reload right
    // after could open the old copy again.
    await this.local.destroy();
    await idb.deleteDB(this.local.name);
  }

  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    window.removeEventListener("offline", this.onBrowserOffline);
    window.removeEventListener("online", this.onBrowserOnline);
    this.sender.destroy();
    this.tracker.destroy();
    this.decisions.destroy();
    this.provider.destroy();
    void this.local.destroy();
    this.doc.destroy();
    this.listeners.clear();
  }

  /** Returns true when the close is terminal (stop reconnecting). */
  private onServerClose(code: number, reason: string): boolean {
    const problem = problemFromClose(code, reason);
    if (problem?.kind === "read-only") {
      this.downgraded = true;
      this.problem = null;
    } else {
      this.problem = problem;
    }
    this.afterProblem(problem);
    return problem?.terminal ?? false;
  }

  private afterProblem(problem: ConnectionProblem | null) {
    // Forbidden / gone: the user may no longer read it, so no copy stays on the device.
    // Diverged: the local copy holds edits the server refused; kept, they would come back.
    if (problem && (problem.kind === "forbidden" || problem.kind === "not-found" || problem.kind === "diverged")) {
      void this.local.clearData();
    }
    queueMicrotask(this.update);
  }

  /**
   * The upgrade was refused (401/403/404 arrive as a bare 1006 close in browsers) or the server is
   * unreachable. The page URL runs the same checks; its answer tells which, without guessing.
   */
  private onRefusedAttempt() {
    this.failedAttempts++;
    const n = this.failedAttempts - DIAGNOSE_AFTER_FAILURES;
    if (n < 0 || n % 5 !== 0 || (typeof navigator !== "undefined" && !navigator.onLine)) return;
    fetch(this.accessCheckUrl, { redirect: "manual", credentials: "same-origin", headers: { Accept: "text/html" } }).then(
      (res) => {
        const problem = problemFromPageStatus(res.status, res.type === "opaqueredirect" || (res.status >= 300 && res.status < 400));
        if (!problem || this.destroyed || this.openedThisAttempt) return;
        this.problem = problem;
        this.provider.disconnect();
        this.afterProblem(problem);
      },
      () => {}, // unreachable: keep retrying, the status already says offline
    );
  }

  private readonly onBrowserOffline = () => {
    // The socket may take up to 30 s to notice a dead network; the browser knows at once.
    this.provider.disconnect();
    this.update();
  };

  private readonly onBrowserOnline = () => {
    if (this.problem?.terminal) return;
    this.provider.connect();
    this.update();
  };

  private compute(): CollabSnapshot {
    const p = this.provider;
    const connection = p.wsconnected ? "connected" : p.wsconnecting ? "connecting" : "disconnected";
    const unconfirmed = this.tracker.hasUnconfirmedChanges;
    let save: SaveStatus;
    if (this.problem?.terminal) save = "stopped";
    else if (this.tracker.saved) save = "saved";
    else if (connection === "connected") save = "saving";
    else if (!this.everSynced && !unconfirmed) save = "connecting";
    else save = "offline";
    const hasLocalContent = this.localLoaded && this.doc.getXmlFragment(COLLAB_FIELD).length > 0;
    return {
      connection,
      localLoaded: this.localLoaded,
      everSynced: this.everSynced,
      ready: this.everSynced || hasLocalContent,
      save,
      unconfirmed,
      problem: this.problem,
      downgradedToReadOnly: this.downgraded,
    };
  }

  private readonly update = () => {
    if (this.destroyed) return;
    const next = this.compute();
    const prev = this.snapshot;
    const same = (Object.keys(next) as (keyof CollabSnapshot)[]).every((k) => next[k] === prev[k]);
    if (same) return;
    this.snapshot = next;
    for (const l of this.listeners) l();
  };
}
