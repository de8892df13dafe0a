export type SegmentOp = "same" | "ins" | "del";

/** A run of text in a comparison: unchanged, inserted or deleted, with the user id it is credited to. */
export interface Segment {
  text: string;
  op: SegmentOp;
  author: string | null;
}
