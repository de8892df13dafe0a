import { z } from "zod";
import { ANCHOR_MAX_CHARS } from "../comments/anchor";
import { COMMENT_BODY_MAX } from "../comments/limits";

/** Longest agenda topic title (the attribute rule of extensions/agenda-topic). */
export const TOPIC_TITLE_MAX = 300;

const anchor = z
  .string({ required_error: "Select the text to change." })
  .min(1, "Select the text to change.")
  .max(ANCHOR_MAX_CHARS, "That is not a text position.")
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, "That is not a text position.");

/** POST /briefings/:id/suggestions: a new suggestion, or a decision on all of one person's. */
export const SuggestionsForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("suggest"),
    kind: z.enum(["text", "topicTitle"], { errorMap: () => ({ message: "Suggest a change of text or of a topic title." }) }).default("text"),
    anchorStart: anchor,
    anchorEnd: anchor,
    // Not trimmed: spaces are part of the wording.
    replacement: z.string({ required_error: "Say what the text should be (empty to delete it)." }),
  }),
  z.object({ intent: z.enum(["acceptAll", "rejectAll"]), authorId: z.string().min(1, "Say whose suggestions.") }),
]);

/** POST /briefings/:id/suggestions/:suggestionId */
export const SuggestionIntentForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("accept") }),
  z.object({ intent: z.literal("reject") }),
  // The author closes their own suggestion once its text is gone (docs/decisions/0507).
  z.object({ intent: z.literal("withdraw") }),
  // An editor's move carried its text or topic elsewhere: the new place, checked on the server.
  z.object({ intent: z.literal("reanchor"), anchorStart: anchor, anchorEnd: anchor }),
  z.object({
    intent: z.literal("reply"),
    body: z
      .string({ required_error: "Write a comment." })
      .max(COMMENT_BODY_MAX, `A comment has at most ${COMMENT_BODY_MAX.toLocaleString("en")} characters.`)
      .refine((s) => s.trim().length > 0, "Write a comment.")
      .transform((s) => s.trim()),
  }),
]);
