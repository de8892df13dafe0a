import { json, type AppLoadContext } from "@remix-run/node";
import type * as Y from "yjs";
import { addComment, createThread, getThread, setThreadAnchor } from "../../db/queries/comments";
import { decideSuggestion, setSuggestionAnchor, setSuggestionThread, type StoredSuggestion } from "../../db/queries/suggestions";
import { base64ToBytes, decodeAnchor, type DecodedAnchor } from "../comments/anchor";
import { SuggestionIntentForm } from "../suggestions/limits";
import { locateTarget } from "../suggestions/target";
import { publishCommentEvent } from "./comment-events.server";
import { threadViews, type CommentsAccess } from "./comments.server";
import { forbidden } from "./errors";
import {
  canDecide,
  canSuggest,
  decide,
  fieldErrors,
  locateStored,
  parseForm,
  PROBLEM_MESSAGES,
  publish,
  requireDecider,
  requireFinalOpen,
  requireSuggestion,
  suggestionViewFor,
  withCopy,
} from "./suggestions.server";

// What one suggestion's route does besides the decision itself (suggestions.server.ts): discuss it,
// withdraw it once detached, move it with its text.

/** POST /briefings/:id/suggestions/:suggestionId with intent=accept|reject|reply. */
export async function suggestionAction(context: AppLoadContext, access: CommentsAccess, id: string | undefined, form: FormData): Promise<Response> {
  const s = await requireSuggestion(context, access, id);
  const parsed = parseForm(SuggestionIntentForm, form);
  if (!parsed.ok) return parsed.response;
  const input = parsed.data;
  if (input.intent === "reply") return replyAction(context, access, s, input.body);
  if (input.intent === "withdraw") return withdrawAction(context, access, s);
  if (input.intent === "reanchor") return reanchorAction(context, access, s, input);
  const refused = requireDecider(access.role, access.briefing.status === "final", input.intent === "accept" ? "Accepting" : "Rejecting");
  if (refused) return refused;
  const result = await decide(context, access, s, input.intent === "accept" ? "accepted" : "rejected");
  if (!result.ok) return fieldErrors({ form: [result.message] }, result.status);
  return json({ ok: true as const, suggestion: await suggestionViewFor(context, access, s.id) });
}

/** Detached as the page shows it (docs/decisions/0505): its place is gone, or the text it changes was all deleted. */
function isDetachedIn(doc: Y.Doc, s: StoredSuggestion): boolean {
  const located = locateStored(doc, s);
  if ("problem" in located) return true;
  return s.kind === "text" && s.originalText !== "" && located.target.current === "";
}

/**
 * The author withdraws their own open suggestion once it is detached: nothing is left in the text to
 * decide on, so they need not wait for an editor. Recorded as rejected by the author themselves
 * (the status the table has), published like any decision, with no notification to anyone.
 */
async function withdrawAction(context: AppLoadContext, access: CommentsAccess, s: StoredSuggestion): Promise<Response> {
  if (!canSuggest(access.role)) throw forbidden(`Withdrawing a suggestion needs the commenter role; you are ${access.role}.`);
  if (!s.authorId || s.authorId !== access.user.id) throw forbidden("Only the person who made a suggestion may withdraw it.");
  const final = requireFinalOpen(access.briefing.status === "final");
  if (final) return final;
  if (s.status !== "open") return fieldErrors({ form: [`This suggestion was already ${s.status}.`] }, 409);
  if (!(await withCopy(context, access.briefing.id, (doc) => isDetachedIn(doc, s)))) {
    return fieldErrors({ form: ["Only a detached suggestion can be withdrawn: its text is still in the briefing, so an editor decides on it."] }, 409);
  }
  if (!(await decideSuggestion(context.store, s.id, "rejected", access.user.id))) return fieldErrors({ form: ["Someone already decided this suggestion."] }, 409);
  context.logger.info("suggestions", "suggestion withdrawn", { briefingId: access.briefing.id, userId: access.user.id, suggestionId: s.id });
  await publish(context, access.briefing.id, s.id);
  await context.events.publish("suggestionDecided", { briefingId: access.briefing.id, suggestionId: s.id, decision: "rejected", authorId: s.authorId, byId: access.user.id });
  return json({ ok: true as const, suggestion: await suggestionViewFor(context, access, s.id) });
}

/**
 * A comment on a suggestion: the first one opens its thread (anchored where the suggestion is,
 * quoting its original text), later ones are replies. The thread then lives with the comments.
 */
async function replyAction(context: AppLoadContext, access: CommentsAccess, s: StoredSuggestion, body: string): Promise<Response> {
  if (!canSuggest(access.role)) throw forbidden(`Discussing suggestions needs the commenter role; you are ${access.role}.`);
  const taken = await context.commentLimit.take(access.user.id);
  if (!taken.ok) {
    const r = taken.retryAfterSeconds;
    return json({ ok: false as const, errors: { form: [`You are commenting faster than the desk allows. Try again in ${r} second${r === 1 ? "" : "s"}.`] } }, { status: 429, headers: { "Retry-After": String(r) } });
  }
  let threadId = s.threadId && (await getThread(context.store, s.threadId)) ? s.threadId : null;
  if (threadId) {
    await addComment(context.store, threadId, access.user.id, body, []);
  } else {
    threadId = await createThread(context.store, {
      briefingId: access.briefing.id,
      anchorStart: s.anchorStart,
      anchorEnd: s.anchorEnd,
      quotedText: s.originalText || s.replacement,
      authorId: access.user.id,
      body,
      mentions: [],
    });
    await setSuggestionThread(context.store, s.id, threadId);
  }
  const [thread] = await threadViews(context, access.briefing.id, [(await getThread(context.store, threadId))!]);
  publishCommentEvent(context, access.briefing.id, { type: "thread", thread });
  const suggestion = await publish(context, access.briefing.id, s.id);
  context.logger.info("suggestions", "suggestion discussed", { briefingId: access.briefing.id, userId: access.user.id, suggestionId: s.id, threadId });
  return json({ ok: true as const, suggestion, thread }, { status: 201 });
}

/** Shortened for a message: a paragraph-long original would drown the reason. */
const quoted = (text: string) => `“${text.length > 80 ? `${text.slice(0, 77)}…` : text}”`;

/**
 * Why `anchor` cannot be the new place of `s` in `doc`, or null when it can: the same kind of place
 * (an agenda topic for a title, text for a text suggestion) holding exactly what the suggestion was
 * made on, so moving it never changes what an accept would do.
 */
function reanchorProblem(doc: Y.Doc, s: StoredSuggestion, anchor: DecodedAnchor): { field: "anchorStart" | "form"; message: string } | null {
  const located = locateTarget(doc, s.kind, anchor.start, anchor.end);
  if ("problem" in located) {
    if (located.problem === "ahead") return { field: "anchorStart", message: "The moved text has not reached the server yet. Try again in a moment." };
    if (s.kind === "topicTitle") return { field: "anchorStart", message: "A title suggestion moves only to an agenda topic of this briefing." };
    return { field: "anchorStart", message: located.problem === "structured" ? PROBLEM_MESSAGES.structured : "That place is not in the briefing's text." };
  }
  const { target } = located;
  if (s.kind === "topicTitle") {
    if (target.current === s.originalText) return null;
    return { field: "form", message: `That topic's title is ${quoted(target.current)}, not ${quoted(s.originalText)}, the title this suggestion renames.` };
  }
  if (s.originalText === "") {
    if (target.current === "") return null;
    return { field: "anchorStart", message: "An insertion moves to one place in the text (a caret), not to a range." };
  }
  if (target.current === s.originalText) return null;
  return { field: "form", message: `The text there is ${quoted(target.current)}, not ${quoted(s.originalText)}, the text this suggestion changes.` };
}

/**
 * An editor moved the blocks a suggestion is in (agenda topic Move up / Move down, drag and drop):
 * Yjs writes a move as a delete and an insert, so its anchors may name deleted items. The client
 * that moved them sends the new place (docs/decisions/0507, "Title suggestions on a moved topic");
 * the server checks it as it checks a new suggestion, stores it and publishes it. Moving text is an
 * edit of the body, so only editors and owners do it, and not on a final briefing.
 */
async function reanchorAction(context: AppLoadContext, access: CommentsAccess, s: StoredSuggestion, input: { anchorStart: string; anchorEnd: string }): Promise<Response> {
  if (!canDecide(access.role)) throw forbidden(`Moving a suggestion with its text needs the editor role; you are ${access.role}.`);
  const final = requireFinalOpen(access.briefing.status === "final");
  if (final) return final;
  if (s.status !== "open") return fieldErrors({ form: [`This suggestion was already ${s.status}, so it no longer moves with the text.`] }, 409);
  const anchor = decodeAnchor({ start: input.anchorStart, end: input.anchorEnd });
  if (!anchor) return fieldErrors({ anchorStart: ["That is not a text position."] });
  const problem = await withCopy(context, access.briefing.id, (doc) => reanchorProblem(doc, s, anchor));
  if (problem) return fieldErrors({ [problem.field]: [problem.message] }, 409);
  const start = base64ToBytes(input.anchorStart);
  const end = base64ToBytes(input.anchorEnd);
  if (!(await setSuggestionAnchor(context.store, s.id, start, end))) return fieldErrors({ form: ["Someone decided this suggestion meanwhile."] }, 409);
  // Its discussion was opened where the suggestion was: it moves along, quoting the same text.
  if (s.threadId) {
    const thread = await getThread(context.store, s.threadId);
    if (thread) {
      await setThreadAnchor(context.store, thread.id, start, end, thread.quotedText);
      const [view] = await threadViews(context, access.briefing.id, [(await getThread(context.store, thread.id))!]);
      publishCommentEvent(context, access.briefing.id, { type: "thread", thread: view });
    }
  }
  context.logger.info("suggestions", "suggestion moved", { briefingId: access.briefing.id, userId: access.user.id, suggestionId: s.id, kind: s.kind });
  return json({ ok: true as const, suggestion: await publish(context, access.briefing.id, s.id) });
}
