import { z } from "zod";
import { ANCHOR_MAX_CHARS } from "./anchor";

/** Longest comment body, in characters (UTF-16 code units, as the textarea counts them). */
export const COMMENT_BODY_MAX = 5000;
/** Longest quoted text kept with a thread; longer selections are stored shortened with "…". */
export const QUOTED_TEXT_MAX = 500;

const body = z
  .string({ required_error: "Write a comment." })
  .max(COMMENT_BODY_MAX, `A comment has at most ${COMMENT_BODY_MAX.toLocaleString("en")} characters.`)
  .refine((s) => s.trim().length > 0, "Write a comment.")
  .transform((s) => s.trim());

const anchor = z
  .string({ required_error: "Select the text to comment on." })
  .min(1, "Select the text to comment on.")
  .max(ANCHOR_MAX_CHARS, "That is not a text position.")
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, "That is not a text position.");

export const NewThreadForm = z.object({ anchorStart: anchor, anchorEnd: anchor, body });
export const ReplyForm = z.object({ intent: z.literal("reply"), body });
export const ThreadIntentForm = z.discriminatedUnion("intent", [
  ReplyForm,
  z.object({ intent: z.literal("resolve") }),
  z.object({ intent: z.literal("reopen") }),
  /** The thread's text moved (a block was moved or dragged) or an editor attaches a detached thread. */
  z.object({ intent: z.literal("reanchor"), anchorStart: anchor, anchorEnd: anchor }),
]);
export const CommentIntentForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("edit"), body }),
  z.object({ intent: z.literal("delete") }),
]);
