import { EventEmitter } from "node:events";

/**
 * In-process notifications from the HTTP side to the collaboration side, so that access changes
 * take effect at once on open sockets.
 */
export interface AppEventMap {
  /** A member's role changed or they left the team. `role` null means removed. */
  membershipChanged: [{ teamId: string; userId: string; role: string | null }];
  /** A session was signed out or revoked. */
  sessionRevoked: [{ sessionId: string }];
  /** Status (draft / in_review / final), archive state or details changed. */
  briefingChanged: [{ briefingId: string }];
  briefingDeleted: [{ briefingId: string }];
  /** Review approvers or decisions changed (a decision, or approvals reset by an edit); `byName` is who. */
  reviewChanged: [{ briefingId: string; byName: string }];
  /** A new briefing's first body was stored (blank, from Word, a template or a duplicate). */
  briefingCreated: [{ briefingId: string }];
}

export type AppEvents = EventEmitter<AppEventMap>;

export function createAppEvents(): AppEvents {
  const events = new EventEmitter<AppEventMap>();
  events.setMaxListeners(50);
  return events;
}
