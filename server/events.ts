import { EventEmitter } from "node:events";
import type { CommentEvent } from "../app/comments/types";

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
  /**
   * A suggested edit was accepted or rejected (the hook for notifying its author). `authorId` made
   * it, `byId` decided it.
   */
  suggestionDecided: [{ briefingId: string; suggestionId: string; decision: "accepted" | "rejected"; authorId: string | null; byId: string }];
  /** Review approvers or decisions changed (a decision, or approvals reset by an edit); `byName` is who. */
  reviewChanged: [{ briefingId: string; byName: string }];
  /** One of this user's notifications was added or read: their open pages refresh the unread count. */
  notificationsChanged: [{ userId: string }];
  /** A new briefing's first body was stored (blank, from Word, a template or a duplicate). */
  briefingCreated: [{ briefingId: string }];
  /** A change for the live comment channel of a briefing (docs/decisions/0501), for every instance's streams. */
  commentEvent: [{ briefingId: string; event: CommentEvent }];
  /**
   * Events from other instances may have been missed (the Redis bus reconnected): every open socket
   * and stream re-reads its session and access from the database. Never published by the app.
   */
  resync: [{ reason: string }];
}

export type AppEvents = EventEmitter<AppEventMap>;

export function createAppEvents(): AppEvents {
  const events = new EventEmitter<AppEventMap>();
  events.setMaxListeners(50);
  return events;
}
