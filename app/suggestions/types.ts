import type { SuggestionKind } from "./target";

export type SuggestionStatus = "open" | "accepted" | "rejected";

/** One suggested edit as the JSON API and the live channel send it. Times are epoch milliseconds. */
export interface SuggestionView {
  id: string;
  kind: SuggestionKind;
  /** base64 Yjs relative positions; equal for an insertion or a topic title. */
  anchorStart: string;
  anchorEnd: string;
  /** The text between the anchors when the suggestion was made ("" for an insertion). */
  originalText: string;
  /** What replaces it ("" for a deletion). */
  replacement: string;
  authorId: string | null;
  authorName: string | null;
  authorColor: string | null;
  createdAt: number;
  status: SuggestionStatus;
  acceptedByName: string | null;
  acceptedAt: number | null;
  rejectedByName: string | null;
  rejectedAt: number | null;
  /** The comment thread discussing it, once someone replied. */
  threadId: string | null;
  /** The server's view when it was read: the anchored text no longer is the original (never applied blindly). */
  outdated: boolean;
  /** Its place in the body is gone (text or topic deleted). */
  gone: boolean;
}

export interface SuggestionsViewer {
  id: string;
  /** Suggest and discuss: the role allows it (commenters and above); the page adds the live status (not while final). */
  canSuggest: boolean;
  /** Accept and reject: the role allows it (editors and owners); the page adds the live status (not while final). */
  canDecide: boolean;
}

/** GET /briefings/:briefingId/suggestions */
export interface SuggestionsPayload {
  suggestions: SuggestionView[];
  viewer: SuggestionsViewer;
}
