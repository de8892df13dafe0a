import type { WebsocketProvider } from "y-websocket";
import type * as Y from "yjs";
import {
  encodeDecisionRequest,
  MESSAGE_SUGGESTION_DECISION,
  readDecisionAnswer,
  type DecisionAnswer,
  type SuggestionDecision,
} from "../../extensions/protocol/suggestion-decision";

/** Status of an answer that never came: the socket closed first (the server may still have decided). */
export const DECISION_INTERRUPTED = 0;

const byDoc = new WeakMap<Y.Doc, SocketDecisions>();

/** The decisions channel of the socket that syncs `doc` (the editor page's session registers it). */
export function decisionsFor(doc: Y.Doc): SocketDecisions | undefined {
  return byDoc.get(doc);
}

/**
 * Accept and reject over the briefing's open collaboration socket (docs/decisions/0507): the
 * accepted text reaches everyone as fast as typing does, with none of an HTTP request's cost. The
 * request goes through the provider's own `ws.send` (so after the typing sent before it, and
 * through the editor's paced sender); the answer comes back on the same socket with its id.
 */
export class SocketDecisions {
  private nextId = 1;
  private readonly pending = new Map<number, (answer: DecisionAnswer) => void>();
  private readonly onClose = () => this.failPending();

  constructor(private readonly provider: WebsocketProvider) {
    provider.messageHandlers[MESSAGE_SUGGESTION_DECISION] = (_encoder, decoder) => {
      const answer = readDecisionAnswer(decoder);
      const resolve = this.pending.get(answer.requestId);
      this.pending.delete(answer.requestId);
      resolve?.(answer);
    };
    provider.on("connection-close", this.onClose);
    byDoc.set(provider.doc, this);
  }

  /** Whether a request can go now: the socket is open and the document synced (the server has this client's text). */
  get ready(): boolean {
    const ws = this.provider.ws;
    return this.provider.wsconnected && this.provider.synced && !!ws && ws.readyState === ws.OPEN;
  }

  /** Sends one decision; resolves with the server's answer, or DECISION_INTERRUPTED when the socket closed first. */
  decide(suggestionId: string, decision: SuggestionDecision): Promise<DecisionAnswer> {
    const requestId = this.nextId++;
    const ws = this.provider.ws;
    if (!this.ready || !ws) return Promise.resolve({ requestId, status: DECISION_INTERRUPTED, message: "Not connected." });
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve);
      ws.send(encodeDecisionRequest({ requestId, suggestionId, decision }));
    });
  }

  destroy(): void {
    this.provider.off("connection-close", this.onClose);
    delete this.provider.messageHandlers[MESSAGE_SUGGESTION_DECISION];
    if (byDoc.get(this.provider.doc) === this) byDoc.delete(this.provider.doc);
    this.failPending();
  }

  private failPending(): void {
    const waiting = Array.from(this.pending);
    this.pending.clear();
    for (const [requestId, resolve] of waiting) resolve({ requestId, status: DECISION_INTERRUPTED, message: "The connection closed before the server answered." });
  }
}
