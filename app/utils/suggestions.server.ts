import { json, type AppLoadContext } from "@remix-run/node";
import type * as Y from "yjs";
import type { z } from "zod";
import { notify } from "../../db/queries/notifications";
import {
  createSuggestion,
  decideSuggestion,
  getSuggestion,
  listSuggestions,
  openSuggestionIdsBy,
  reopenAccepted,
  type StoredSuggestion,
} from "../../db/queries/suggestions";
import { isValidId } from "../../db/ids";
import type { Briefing, Role } from "../../db/schema";
import { base64ToBytes, decodeAnchor } from "../comments/anchor";
import { SuggestionsForm, TOPIC_TITLE_MAX } from "../suggestions/limits";
import { applyToTarget, locateTarget, type Located, type SuggestionKind, type SuggestionTarget } from "../suggestions/target";
import type { SuggestionsPayload, SuggestionView } from "../suggestions/types";
import { decodeStoredAnchor } from "./comment-document.server";
import { publishCommentEvent } from "./comment-events.server";
import type { CurrentUser } from "./auth.server";
import type { CommentsAccess } from "./comments.server";
import { forbidden, notFound } from "./errors";
import type { FieldErrors } from "./form";
import { roleAtLeast } from "./roles";
import { readStoredDocument } from "./stored-document.server";

/**
 * Suggested edits (docs/decisions/0504). Anyone who may comment proposes a change; the server
 * checks it against its own copy of the body and stores it outside the document, so a commenter's
 * socket stays read-only. Editors and owners accept (the server writes the replacement into the
 * live room, in one Yjs transaction, only while the anchored text is still the original) or reject.
 * Every change is published on the comments live channel.
 */

export const canSuggest = (role: Role) => roleAtLeast(role, "commenter");
export const canDecide = (role: Role) => roleAtLeast(role, "editor");

export function fieldErrors(errors: FieldErrors, status = 400): Response {
  return json({ ok: false as const, errors }, { status });
}

export function parseForm<T extends z.ZodTypeAny>(schema: T, form: FormData): { ok: true; data: z.infer<T> } | { ok: false; response: Response } {
  const raw: Record<string, FormDataEntryValue> = {};
  for (const [k, v] of form) raw[k] = v;
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const flat = result.error.flatten();
  const errors: FieldErrors = { ...(flat.fieldErrors as FieldErrors) };
  if (flat.formErrors.length) errors.intent = flat.formErrors;
  return { ok: false, response: fieldErrors(errors) };
}

/** Where a stored suggestion applies in `doc` now, or why it cannot be found. */
export function locateStored(doc: Y.Doc, s: StoredSuggestion): Located {
  const anchor = decodeStoredAnchor(s.anchorStart, s.anchorEnd);
  if (!anchor) return { problem: "invalid" };
  return locateTarget(doc, s.kind, anchor.start, anchor.end);
}

function toView(s: StoredSuggestion, doc: Y.Doc | null): SuggestionView {
  let outdated = false;
  let gone = false;
  if (doc && s.status === "open") {
    const located = locateStored(doc, s);
    if ("problem" in located) gone = true;
    else outdated = located.target.current !== s.originalText;
  }
  return {
    id: s.id,
    kind: s.kind,
    anchorStart: Buffer.from(s.anchorStart).toString("base64"),
    anchorEnd: Buffer.from(s.anchorEnd).toString("base64"),
    originalText: s.originalText,
    replacement: s.replacement,
    authorId: s.authorId,
    authorName: s.authorName,
    authorColor: s.authorColor,
    createdAt: s.createdAt.getTime(),
    status: s.status,
    acceptedByName: s.acceptedByName,
    acceptedAt: s.acceptedAt?.getTime() ?? null,
    rejectedByName: s.rejectedByName,
    rejectedAt: s.rejectedAt?.getTime() ?? null,
    threadId: s.threadId,
    outdated,
    gone,
  };
}

/** Runs `fn` on a copy of the briefing's current body (live room or storage). */
export async function withCopy<T>(context: AppLoadContext, briefingId: string, fn: (doc: Y.Doc) => T): Promise<T> {
  const collab = context.services.collab;
  if (!collab) throw new Response("The collaboration service is not running, so the document cannot be read.", { status: 503 });
  const doc = await readStoredDocument(() => collab.getDocument(briefingId));
  try {
    return fn(doc);
  } finally {
    doc.destroy();
  }
}

async function views(context: AppLoadContext, briefingId: string, list: StoredSuggestion[]): Promise<SuggestionView[]> {
  if (!list.some((s) => s.status === "open")) return list.map((s) => toView(s, null));
  return withCopy(context, briefingId, (doc) => list.map((s) => toView(s, doc)));
}

export async function suggestionsPayload(context: AppLoadContext, access: CommentsAccess): Promise<SuggestionsPayload> {
  return {
    suggestions: await views(context, access.briefing.id, await listSuggestions(context.store, access.briefing.id)),
    viewer: { id: access.user.id, canSuggest: canSuggest(access.role), canDecide: canDecide(access.role) },
  };
}

export async function publish(context: AppLoadContext, briefingId: string, id: string): Promise<SuggestionView> {
  const stored = (await getSuggestion(context.store, id))!;
  const [suggestion] = await views(context, briefingId, [stored]);
  publishCommentEvent(context, briefingId, { type: "suggestion", suggestion });
  return suggestion;
}

export function requireFinalOpen(final: boolean): Response | null {
  if (!final) return null;
  return fieldErrors({ form: ["The briefing is final; reopen it before its text can change."] }, 409);
}

export const PROBLEM_MESSAGES = {
  invalid:
    "A suggestion changes text within one paragraph or heading, from one into a later one beside it, or one topic title. Select text that does not cross a line break, a list or a table.",
  structured: "A suggestion cannot span a quote, an agenda topic or a country fact: their fields would be lost. Suggest the change on each side of it instead.",
  gone: "That text is no longer in the briefing.",
} as const;

/** POST /briefings/:id/suggestions intent=suggest: a new suggestion on the range given by two encoded relative positions. */
async function createAction(context: AppLoadContext, access: CommentsAccess, input: { kind: SuggestionKind; anchorStart: string; anchorEnd: string; replacement: string }) {
  if (!canSuggest(access.role)) throw forbidden(`Suggesting edits needs the commenter role; you are ${access.role}.`);
  const final = requireFinalOpen(access.briefing.status === "final");
  if (final) return final;
  const max = input.kind === "topicTitle" ? TOPIC_TITLE_MAX : context.config.SUGGESTION_MAX_CHARS;
  if (input.replacement.length > max) return fieldErrors({ replacement: [`A suggestion has at most ${max.toLocaleString("en")} characters.`] });
  // Text of the body is one run per paragraph: a line break would be a new block, which a suggestion does not make.
  if (/[\r\n\u2028\u2029]/.test(input.replacement)) return fieldErrors({ replacement: ["A suggestion stays within one paragraph: it cannot contain a line break."] });
  const anchor = decodeAnchor({ start: input.anchorStart, end: input.anchorEnd });
  if (!anchor) return fieldErrors({ anchorStart: ["That is not a text position."] });
  const located = await withCopy(context, access.briefing.id, (doc) => {
    const found = locateTarget(doc, input.kind, anchor.start, anchor.end);
    return "problem" in found ? { problem: found.problem } : { current: found.target.current };
  });
  if ("problem" in located) {
    if (located.problem === "ahead") return fieldErrors({ anchorStart: ["The selected text has not reached the server yet. Try again in a moment."] }, 409);
    return fieldErrors({ anchorStart: [PROBLEM_MESSAGES[located.problem as keyof typeof PROBLEM_MESSAGES]] });
  }
  if (located.current.length > context.config.SUGGESTION_MAX_CHARS) {
    return fieldErrors({ anchorStart: [`Select at most ${context.config.SUGGESTION_MAX_CHARS.toLocaleString("en")} characters to replace.`] });
  }
  if (located.current === input.replacement) {
    return fieldErrors({ replacement: [located.current === "" ? "Type the text to insert." : "The suggestion is the same as the text."] });
  }
  const taken = await context.commentLimit.take(access.user.id);
  if (!taken.ok) {
    const s = taken.retryAfterSeconds;
    return json(
      { ok: false as const, errors: { form: [`You are suggesting faster than the desk allows. Try again in ${s} second${s === 1 ? "" : "s"}.`] } },
      { status: 429, headers: { "Retry-After": String(s) } },
    );
  }
  const id = await createSuggestion(context.store, {
    briefingId: access.briefing.id,
    kind: input.kind,
    anchorStart: base64ToBytes(input.anchorStart),
    anchorEnd: base64ToBytes(input.anchorEnd),
    originalText: located.current,
    replacement: input.replacement,
    authorId: access.user.id,
  });
  context.logger.info("suggestions", "suggestion made", { briefingId: access.briefing.id, userId: access.user.id, suggestionId: id, kind: input.kind });
  return json({ ok: true as const, suggestion: await publish(context, access.briefing.id, id) }, { status: 201 });
}

export type Decision = { ok: true } | { ok: false; status: 409; message: string };

/** Who records a decision, on which briefing: all that applying it needs (the checks come before). */
export interface Decider {
  briefingId: string;
  userId: string;
}

const deciderOf = (access: CommentsAccess): Decider => ({ briefingId: access.briefing.id, userId: access.user.id });

/** What the log, the live channel and the author's notification name after a decision. */
export interface AnnounceAccess {
  briefing: Pick<Briefing, "id" | "title">;
  user: Pick<CurrentUser, "id" | "name">;
}

/** Why an open suggestion cannot be applied to `doc` now, or where it applies. */
function applicable(doc: Y.Doc, s: StoredSuggestion): { message: string } | { target: SuggestionTarget } {
  const located = locateStored(doc, s);
  if ("problem" in located) return { message: "The suggested text is no longer in the briefing." };
  if (located.target.current !== s.originalText) return { message: "The text was changed since this suggestion was made, so it is outdated and was not applied." };
  return { target: located.target };
}

const ALREADY_DECIDED = "Someone already decided this suggestion.";

/**
 * Accepts open suggestions in one transaction on the live document: one stored update and one
 * broadcast however many there are. Each accept is recorded first, by the database's conditional
 * update (the arbiter between deciders on any instance, docs/decisions/0508), and only the ones
 * taken go into the change. There, in order, each one's text is found again from its relative
 * positions (after the ones before it were written) and checked to be still the original, then the
 * replacement written; one that fails the check is left unwritten and given back (open again).
 */
async function acceptInOneChange(context: AppLoadContext, decider: Decider, list: StoredSuggestion[]): Promise<Map<string, Decision>> {
  const collab = context.services.collab;
  if (!collab) throw new Response("The collaboration service is not running, so the document cannot change.", { status: 503 });
  const results = new Map<string, Decision>();
  const at = new Date();
  const taken: StoredSuggestion[] = [];
  // Before the change: its callback is a synchronous Yjs transaction, where nothing may be awaited.
  for (const s of list) {
    if (await decideSuggestion(context.store, s.id, "accepted", decider.userId, at)) taken.push(s);
    else results.set(s.id, { ok: false, status: 409, message: ALREADY_DECIDED });
  }
  if (taken.length === 0) return results;
  const giveBack: string[] = [];
  try {
    await readStoredDocument(() =>
      collab.change(decider.briefingId, decider.userId, (doc) => {
        for (const s of taken) {
          // An edit may have landed since the suggestion was read or its accept recorded: checked here,
          // in the same synchronous step as the write.
          const found = applicable(doc, s);
          if ("message" in found) {
            results.set(s.id, { ok: false, status: 409, message: found.message });
            giveBack.push(s.id);
            continue;
          }
          applyToTarget(found.target, s.replacement);
          results.set(s.id, { ok: true });
        }
      }),
    );
  } catch (err) {
    // Nothing was written (final, deleted, or the document could not be loaded): every accept goes back.
    await reopen(context, decider, taken.map((s) => s.id), at);
    throw err;
  }
  await reopen(context, decider, giveBack, at);
  return results;
}

/** Opens again the accepts recorded at `at` that were not applied; a failure leaves them accepted, logged. */
async function reopen(context: AppLoadContext, decider: Decider, ids: string[], at: Date): Promise<void> {
  for (const id of ids) {
    try {
      await reopenAccepted(context.store, id, decider.userId, at);
    } catch (err) {
      context.logger.error("suggestion accepted but not applied, and could not be reopened", err, { briefingId: decider.briefingId, suggestionId: id });
    }
  }
}

/** Accepts one open suggestion (see acceptInOneChange); nothing is written when a check fails. */
async function accept(context: AppLoadContext, decider: Decider, s: StoredSuggestion): Promise<Decision> {
  return (await acceptInOneChange(context, decider, [s])).get(s.id)!;
}

/** What follows a decision: the log, the live channel, the bus and the author's notification. */
export async function announce(context: AppLoadContext, access: AnnounceAccess, s: StoredSuggestion, decision: "accepted" | "rejected") {
  context.logger.info("suggestions", `suggestion ${decision}`, { briefingId: access.briefing.id, userId: access.user.id, suggestionId: s.id });
  await publish(context, access.briefing.id, s.id);
  await context.events.publish("suggestionDecided", { briefingId: access.briefing.id, suggestionId: s.id, decision, authorId: s.authorId, byId: access.user.id });
  await notifyAuthor(context, access, s, decision);
}

/**
 * Records the decision on an open suggestion and, on accept, writes it into the live document
 * (broadcast inside); what follows it (announce) is the caller's. The checks come before.
 */
export async function applyDecision(context: AppLoadContext, decider: Decider, s: StoredSuggestion, decision: "accepted" | "rejected"): Promise<Decision> {
  if (s.status !== "open") return { ok: false, status: 409, message: `This suggestion was already ${s.status}.` };
  if (decision === "accepted") return accept(context, decider, s);
  if (await decideSuggestion(context.store, s.id, "rejected", decider.userId)) return { ok: true };
  return { ok: false, status: 409, message: ALREADY_DECIDED };
}

export async function decide(context: AppLoadContext, access: CommentsAccess, s: StoredSuggestion, decision: "accepted" | "rejected"): Promise<Decision> {
  const result = await applyDecision(context, deciderOf(access), s, decision);
  if (result.ok) await announce(context, access, s, decision);
  return result;
}

/** The person who suggested the edit hears that it was accepted or rejected, and by whom. */
async function notifyAuthor(context: AppLoadContext, access: AnnounceAccess, s: StoredSuggestion, decision: "accepted" | "rejected") {
  if (!s.authorId || s.authorId === access.user.id) return;
  const wording = s.replacement === "" ? "suggested deletion" : `suggestion “${s.replacement.length > 60 ? `${s.replacement.slice(0, 57)}…` : s.replacement}”`;
  await notify(context.store, s.authorId, decision === "accepted" ? "suggestion_accepted" : "suggestion_rejected", {
    briefingId: access.briefing.id,
    link: `/briefings/${access.briefing.id}`,
    text: `${access.user.name} ${decision} your ${wording} in “${access.briefing.title}”.`,
  });
}

/** 403 below the editor role (thrown), 409 while the briefing is final (returned), as every decision route answers. */
export function requireDecider(role: Role, final: boolean, what: string): Response | null {
  if (!canDecide(role)) throw forbidden(`${what} suggestions needs the editor role; you are ${role}.`);
  return requireFinalOpen(final);
}

/** POST /briefings/:id/suggestions: intent=suggest, or acceptAll / rejectAll of one person's open suggestions. */
export async function suggestionsAction(context: AppLoadContext, access: CommentsAccess, form: FormData): Promise<Response> {
  const parsed = parseForm(SuggestionsForm, form);
  if (!parsed.ok) return parsed.response;
  const input = parsed.data;
  if (input.intent === "suggest") return createAction(context, access, input);
  const refused = requireDecider(access.role, access.briefing.status === "final", input.intent === "acceptAll" ? "Accepting" : "Rejecting");
  if (refused) return refused;
  const decision = input.intent === "acceptAll" ? "accepted" : "rejected";
  const done: string[] = [];
  const skipped: { id: string; message: string }[] = [];
  const ids = isValidId(input.authorId) ? await openSuggestionIdsBy(context.store, access.briefing.id, input.authorId) : [];
  const list = (await Promise.all(ids.map((id) => getSuggestion(context.store, id)))).filter((s): s is StoredSuggestion => s?.status === "open");
  // Accepting writes all of them in one change of the document; rejecting writes no text.
  const results = decision === "accepted" && list.length ? await acceptInOneChange(context, deciderOf(access), list) : null;
  for (const s of list) {
    const result = results ? results.get(s.id)! : await decide(context, access, s, decision);
    if (!result.ok) {
      skipped.push({ id: s.id, message: result.message });
      continue;
    }
    if (results) await announce(context, access, s, decision);
    done.push(s.id);
  }
  return json({ ok: true as const, decided: done, skipped });
}

export async function requireSuggestion(context: AppLoadContext, access: { briefing: { id: string } }, id: string | undefined): Promise<StoredSuggestion> {
  if (!isValidId(id)) throw notFound("Suggestion");
  const s = await getSuggestion(context.store, id);
  if (!s || s.briefingId !== access.briefing.id) throw notFound("Suggestion");
  return s;
}

export async function suggestionViewFor(context: AppLoadContext, access: CommentsAccess, id: string | undefined): Promise<SuggestionView> {
  return (await views(context, access.briefing.id, [await requireSuggestion(context, access, id)]))[0];
}
