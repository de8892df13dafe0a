import type { CloseSpec } from "./close-codes";

/**
 * A change the server was to make on a person's behalf (an accepted suggestion, a restore) was
 * refused at the moment of writing: the briefing was finalized or deleted after the request was
 * checked. Matched by `code` (app/utils/stored-document.server.ts turns it into 409 or 404).
 */
export class BriefingNotEditableError extends Error {
  readonly code = "BRIEFING_NOT_EDITABLE";
  constructor(readonly reason: "final" | "deleted") {
    super(reason === "final" ? "The briefing is final: reopen it to change its text." : "The briefing was deleted.");
    this.name = "BriefingNotEditableError";
  }
}

/** The load finished but the room must not be opened (deleted meanwhile, or shutting down). */
export class LoadAborted extends Error {
  constructor(readonly spec: CloseSpec) {
    super(`room load aborted: ${spec.reason}`);
    this.name = "LoadAborted";
  }
}
