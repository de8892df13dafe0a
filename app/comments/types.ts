import type { BriefingStatus, Role } from "../../db/enums";
import type { SuggestionView } from "../suggestions/types";

/** One comment as the JSON API and the live channel send it. Times are epoch milliseconds. */
export interface CommentView {
  id: string;
  authorId: string | null;
  authorName: string | null;
  authorColor: string | null;
  /** Plain text with `<@userId>` mention tokens; "" once deleted. */
  body: string;
  mentions: string[];
  createdAt: number;
  editedAt: number | null;
  /** The first comment of a thread with replies leaves this tombstone when deleted. */
  deleted: boolean;
}

export interface ThreadView {
  id: string;
  /** base64 Yjs relative positions (see app/comments/anchor.ts). */
  anchorStart: string;
  anchorEnd: string;
  quotedText: string;
  createdBy: string | null;
  createdAt: number;
  resolvedAt: number | null;
  resolvedBy: string | null;
  resolvedByName: string | null;
  /** The server's view when the thread was read: its text is gone from the document. */
  detached: boolean;
  comments: CommentView[];
}

export interface CommentMember {
  userId: string;
  name: string;
  color: string;
  role: Role;
}

export interface CommentsViewer {
  id: string;
  role: Role;
  canComment: boolean;
  canResolve: boolean;
}

/** GET /briefings/:briefingId/comments */
export interface CommentsPayload {
  threads: ThreadView[];
  members: CommentMember[];
  viewer: CommentsViewer;
}

/** Messages on GET /briefings/:briefingId/comments/events (`data:` JSON of the `message` event). */
export type CommentEvent =
  | { type: "thread"; thread: ThreadView }
  | { type: "threadDeleted"; threadId: string }
  /** A suggested edit was made or decided, or its discussion began (docs/decisions/0504). */
  | { type: "suggestion"; suggestion: SuggestionView }
  | { type: "access"; role: Role }
  /** The briefing moved through draft / in review / final; `byName` is who moved it. */
  | { type: "status"; status: BriefingStatus; byName: string }
  /** A review decision was made, reset by an edit, or the approvers changed; `byName` is who. */
  | { type: "review"; byName: string }
  /** The briefing was deleted; the stream ends right after with `revoked`. */
  | { type: "deleted"; byName: string };

/** The events about the briefing itself, which the page (not the comments panel) acts on. */
export type BriefingEvent = Extract<CommentEvent, { type: "status" | "review" | "deleted" }> | { type: "reconnected" };
