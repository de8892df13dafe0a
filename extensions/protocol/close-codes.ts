/**
 * Every WebSocket close code the collaboration server sends after the handshake, with its reason.
 * 4400–4499 mirror HTTP 4xx: a deliberate refusal that reconnecting cannot fix, and y-websocket's
 * default `shouldReconnect` stops retrying on them. 4500–4599 mirror 5xx: transient, the client
 * reconnects with backoff. Documented for clients in docs/collab-protocol.md. Shared by the server
 * (server/collab/close-codes.ts adds the Node-only helpers) and the browser editor, which reacts to
 * them (app/editor/connection-problems.ts), so the two cannot disagree.
 */
export const CLOSE = {
  malformedMessage: { code: 4400, reason: "malformed message" },
  unauthenticated: { code: 4401, reason: "session ended: sign in again" },
  forbidden: { code: 4403, reason: "access to this briefing was removed" },
  unknownBriefing: { code: 4404, reason: "briefing not found or deleted" },
  pingTimeout: { code: 4408, reason: "no pong within the keepalive interval" },
  diverged: { code: 4412, reason: "local changes were refused while read-only: reload to continue" },
  messageTooLarge: { code: 4413, reason: "message too large" },
  documentTooLarge: { code: 4414, reason: "document too large" },
  /**
   * Updates that cannot integrate (a clock gap, a missing origin) beyond a small allowance. No
   * reconnect: a client's sync step 2 carries its own unintegrated structures, so a retry would send
   * the same refused data again; a consistent client never gets here (its step 2 is complete).
   */
  missingDependencies: { code: 4422, reason: "updates depend on missing changes" },
  rateLimited: { code: 4429, reason: "too many messages per second" },
  byteRateLimited: { code: 4429, reason: "too many bytes per second" },
  slowReader: { code: 4430, reason: "client is not reading: too many bytes queued" },
  readOnlyViolation: { code: 4431, reason: "read-only connection kept sending document updates" },
  internalError: { code: 4500, reason: "the briefing could not be loaded" },
  /** Re-reading an open socket's access after a change failed: closed rather than left with a role it may no longer have. */
  accessCheckFailed: { code: 4500, reason: "access could not be checked: reconnect" },
  serverRestarting: { code: 4503, reason: "server restarting" },
  /**
   * The stored document failed verification (docs/decisions/0105). In the 45xx range because it is a
   * server fault, so a stock client retries with backoff and gets in once it is restored; the
   * Summit Desk editor stops and says so.
   */
  storedDocumentCorrupt: { code: 4510, reason: "stored briefing is damaged: an administrator must restore it" },
  editorUpdateRequired: { code: 4504, reason: "editor update required: reload the page" },
} as const;

export type CloseKind = keyof typeof CLOSE;
export type CloseSpec = { code: number; reason: string };
