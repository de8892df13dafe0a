import { CLOSE } from "../../extensions/protocol/close-codes";

/**
 * What the editor does when the server closes the collaboration socket with one of its 4xxx codes
 * (extensions/protocol/close-codes.ts, the list the server sends from).
 */
export type ProblemKind =
  | "signed-out"
  | "forbidden"
  | "not-found"
  | "reload"
  | "diverged"
  | "read-only"
  | "rejected"
  | "damaged"
  /** The server will never accept what this device's copy holds: offer to save it and start over. */
  | "changes-refused";

export interface ConnectionProblem {
  kind: ProblemKind;
  /** Whether the provider should stop reconnecting. */
  terminal: boolean;
  message: string;
}

export const CLOSE_UNAUTHORIZED = CLOSE.unauthenticated.code;
export const CLOSE_FORBIDDEN = CLOSE.forbidden.code;
export const CLOSE_NOT_FOUND = CLOSE.unknownBriefing.code;
/** Edits were refused while read-only and the socket could write again: reload from the server. */
export const CLOSE_DIVERGED = CLOSE.diverged.code;
/** Transient 44xx codes: a keepalive miss (a sleeping laptop), rate limiting, a slow reader. */
export const CLOSE_PING_TIMEOUT = CLOSE.pingTimeout.code;
export const CLOSE_RATE_LIMITED = CLOSE.rateLimited.code;
export const CLOSE_SLOW_READER = CLOSE.slowReader.code;
/** The connection is read-only (role lowered, briefing final) and kept sending document updates. */
export const CLOSE_READ_ONLY_VIOLATION = CLOSE.readOnlyViolation.code;
export const CLOSE_TRY_AGAIN = CLOSE.serverRestarting.code;
export const CLOSE_RELOAD = CLOSE.editorUpdateRequired.code;
/** The server refused this device's changes themselves; sending them again is refused again. */
export const CLOSE_MESSAGE_TOO_LARGE = CLOSE.messageTooLarge.code;
export const CLOSE_DOCUMENT_TOO_LARGE = CLOSE.documentTooLarge.code;
export const CLOSE_MISSING_DEPENDENCIES = CLOSE.missingDependencies.code;
/** The stored document failed verification on the server; it stays refused until it is restored. */
export const CLOSE_STORED_DOCUMENT_DAMAGED = CLOSE.storedDocumentCorrupt.code;

/** The server said (close code or y-protocols "permission denied") that this user may not edit now. */
export const READ_ONLY_PROBLEM: ConnectionProblem = {
  kind: "read-only",
  terminal: false,
  message: "You can no longer edit this briefing: it is read-only for you now.",
};

const WAY_OUT = "Download your unsent changes to keep them, then discard them here to continue from the saved briefing.";

/**
 * The local copy holds changes the server refused (or that no message could carry). Reloading
 * would send them again and be refused again, so the editor offers to download them and to
 * discard the device's copy instead.
 */
export function changesRefusedProblem(why: string): ConnectionProblem {
  return { kind: "changes-refused", terminal: true, message: `Your recent changes were not saved: ${why}. ${WAY_OUT}` };
}

/**
 * The server refuses an upgrade with a plain HTTP status, which a browser WebSocket cannot see
 * (it reports 1006). The editor asks the page URL, which runs the same checks, and maps its answer.
 */
export function problemFromPageStatus(status: number, redirected: boolean): ConnectionProblem | null {
  if (redirected) return problemFromClose(CLOSE_UNAUTHORIZED, "");
  if (status === 401) return problemFromClose(CLOSE_UNAUTHORIZED, "");
  if (status === 403) return problemFromClose(CLOSE_FORBIDDEN, "");
  if (status === 404) return problemFromClose(CLOSE_NOT_FOUND, "");
  return null;
}

/** Maps a close event to what the user must be told; `null` means "transient, just reconnect". */
export function problemFromClose(code: number, reason: string): ConnectionProblem | null {
  switch (code) {
    case CLOSE_UNAUTHORIZED:
      return { kind: "signed-out", terminal: true, message: "Your session has ended. Taking you to sign in…" };
    case CLOSE_FORBIDDEN:
      return {
        kind: "forbidden",
        terminal: true,
        message: "You no longer have access to this briefing. Ask a team owner if you think this is a mistake.",
      };
    case CLOSE_NOT_FOUND:
      return { kind: "not-found", terminal: true, message: "This briefing no longer exists." };
    case CLOSE_RELOAD:
      return {
        kind: "reload",
        terminal: true,
        message: "Summit Desk has been updated. Reload the page to keep editing; your changes are kept on this device.",
      };
    case CLOSE_DIVERGED:
      return {
        kind: "diverged",
        terminal: true,
        message: "Some of your recent edits were made while you could not edit, and were not saved. Reload to continue from the saved briefing.",
      };
    case CLOSE_MESSAGE_TOO_LARGE:
      return changesRefusedProblem("a single change was larger than the server accepts");
    case CLOSE_DOCUMENT_TOO_LARGE:
      return changesRefusedProblem("they would make the briefing larger than the server allows");
    case CLOSE_MISSING_DEPENDENCIES:
      return changesRefusedProblem("they depend on changes the server does not have");
    case CLOSE_READ_ONLY_VIOLATION:
      return READ_ONLY_PROBLEM;
    case CLOSE_STORED_DOCUMENT_DAMAGED:
      // Terminal: retrying loads the damaged rows again. The copy on this device is kept, since it
      // may be what the briefing is restored from.
      return {
        kind: "damaged",
        terminal: true,
        message: "The stored copy of this briefing is damaged and cannot be opened. An administrator must restore it; your copy on this device is kept.",
      };
    case CLOSE_PING_TIMEOUT:
    case CLOSE_RATE_LIMITED:
    case CLOSE_SLOW_READER:
    case CLOSE_TRY_AGAIN:
      return null;
    default:
      if (code >= 4400 && code < 4500) {
        return {
          kind: "rejected",
          terminal: true,
          message: `The server closed the connection${reason ? `: ${reason}` : ""}. Reload the page to reconnect.`,
        };
      }
      return null;
  }
}
