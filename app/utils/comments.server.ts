import { json, type AppLoadContext } from "@remix-run/node";
import type { z } from "zod";
import {
  addComment,
  createThread,
  deleteComment,
  getComment,
  getThread,
  listThreads,
  setThreadAnchor,
  setThreadResolved,
  updateComment,
  type StoredThread,
} from "../../db/queries/comments";
// The mention queries, for routes (a route's imports reach the browser bundle unless they are .server).
export { countOpenMentions, listMentions } from "../../db/queries/comments";
import { listMembers } from "../../db/queries/teams";
import { isValidId } from "../../db/ids";
import type { Briefing, Role } from "../../db/schema";
import { base64ToBytes, decodeAnchor, rangeText } from "../comments/anchor";
import { CommentIntentForm, NewThreadForm, QUOTED_TEXT_MAX, ThreadIntentForm } from "../comments/limits";
import { mentionedIds } from "../comments/mentions";
import { notify } from "./notifications.server";
import type { CommentMember, CommentsPayload, ThreadView } from "../comments/types";
import { getCurrentSession, type CurrentUser } from "./auth.server";
import { withBodyDocument, decodeStoredAnchor, type BodyDocument } from "./comment-document.server";
import { verifyStoredDocument } from "./stored-document.server";
import { publishCommentEvent } from "./comment-events.server";
import { forbidden, notFound } from "./errors";
import type { FieldErrors } from "./form";
import { requireBriefingRole } from "./permissions.server";
import { roleAtLeast } from "./roles";

/**
 * Comment threads on a briefing: every write is checked here, on the server. Commenters and up
 * open threads and reply; authors alone edit or delete their comments; editors and owners
 * resolve and reopen; viewers only read. Each change is published to the live channel.
 */

export interface CommentsAccess {
  briefing: Briefing;
  role: Role;
  user: CurrentUser;
}

type Result = Response;

/**
 * The signed-in user and their role on the briefing: 401 without a session (an API answer, not a
 * redirect to the login page), 404 for an unknown briefing, 403 for another team's.
 */
export async function requireCommentsAccess(
  request: Request,
  context: AppLoadContext,
  briefingId: string | undefined,
): Promise<CommentsAccess & { sessionId: string }> {
  const session = await getCurrentSession(request, context);
  if (!session) throw new Response("Sign in to continue.", { status: 401 });
  const { briefing, role } = await requireBriefingRole(context, briefingId, session.user);
  return { briefing, role, user: session.user, sessionId: session.sessionId };
}

const canComment = (role: Role) => roleAtLeast(role, "commenter");
const canResolve = (role: Role) => roleAtLeast(role, "editor");

function requireRole(access: CommentsAccess, ok: boolean, what: string): void {
  if (!ok) throw forbidden(`${what}; you are ${access.role}.`);
}

function fieldErrors(errors: FieldErrors, status = 400): Response {
  return json({ ok: false as const, errors }, { status });
}

function parse<T extends z.ZodTypeAny>(schema: T, form: FormData): { data: z.infer<T> } | { response: Response } {
  const raw: Record<string, FormDataEntryValue> = {};
  for (const [k, v] of form) raw[k] = v;
  const result = schema.safeParse(raw);
  if (result.success) return { data: result.data };
  const flat = result.error.flatten();
  const errors: FieldErrors = { ...flat.fieldErrors };
  if (flat.formErrors.length) errors.intent = flat.formErrors;
  return { response: fieldErrors(errors) };
}

function toView(t: StoredThread, body: BodyDocument | null): ThreadView {
  const anchor = decodeStoredAnchor(t.anchorStart, t.anchorEnd);
  return {
    id: t.id,
    anchorStart: Buffer.from(t.anchorStart).toString("base64"),
    anchorEnd: Buffer.from(t.anchorEnd).toString("base64"),
    quotedText: t.quotedText,
    createdBy: t.createdBy,
    createdAt: t.createdAt.getTime(),
    resolvedAt: t.resolvedAt?.getTime() ?? null,
    resolvedBy: t.resolvedBy,
    resolvedByName: t.resolvedByName,
    detached: body ? !anchor || body.resolve(anchor) === null : false,
    comments: t.comments.map((c) => ({
      id: c.id,
      authorId: c.authorId,
      authorName: c.authorName,
      authorColor: c.authorColor,
      body: c.body,
      mentions: c.mentions,
      createdAt: c.createdAt.getTime(),
      editedAt: c.editedAt?.getTime() ?? null,
      deleted: c.body === "",
    })),
  };
}

async function members(context: AppLoadContext, teamId: string): Promise<CommentMember[]> {
  return (await listMembers(context.store, teamId)).map((m) => ({ userId: m.userId, name: m.name, color: m.color, role: m.role }));
}

/** The thread views of a briefing, with detached state computed in the server's copy of the body. */
export async function threadViews(context: AppLoadContext, briefingId: string, threads: StoredThread[]): Promise<ThreadView[]> {
  if (threads.length === 0) {
    // No body to resolve against, but a damaged briefing still answers 503 like its page does.
    await verifyStoredDocument(context, briefingId);
    return [];
  }
  return withBodyDocument(context, briefingId, (body) => threads.map((t) => toView(t, body)));
}

export async function commentsPayload(context: AppLoadContext, access: CommentsAccess): Promise<CommentsPayload> {
  return {
    threads: await threadViews(context, access.briefing.id, await listThreads(context.store, access.briefing.id)),
    members: await members(context, access.briefing.teamId),
    viewer: { id: access.user.id, role: access.role, canComment: canComment(access.role), canResolve: canResolve(access.role) },
  };
}

/** Mentions must name members of the briefing's team. */
async function checkMentions(context: AppLoadContext, teamId: string, body: string): Promise<{ mentions: string[] } | { response: Response }> {
  const ids = mentionedIds(body);
  if (ids.length === 0) return { mentions: [] };
  const team = new Set((await members(context, teamId)).map((m) => m.userId));
  if (ids.some((id) => !team.has(id))) return { response: fieldErrors({ body: ["You can only mention members of this team."] }) };
  return { mentions: ids };
}

/**
 * Takes one of the writer's comment tokens, just before the write: a refused or retried request
 * (a 400, or a 409 while typing reaches the server) costs nothing. Null when the write may go on.
 */
async function commentRateLimited(context: AppLoadContext, access: CommentsAccess): Promise<Response | null> {
  const taken = await context.commentLimit.take(access.user.id);
  if (taken.ok) return null;
  const s = taken.retryAfterSeconds;
  context.logger.warn("comments", "rate limited", { briefingId: access.briefing.id, userId: access.user.id, retryAfterSeconds: s });
  return json(
    { ok: false as const, errors: { form: [`You are commenting faster than the desk allows. Try again in ${s} second${s === 1 ? "" : "s"}.`] } },
    { status: 429, headers: { "Retry-After": String(s) } },
  );
}

async function publishThread(context: AppLoadContext, access: CommentsAccess, threadId: string, status = 200): Promise<Response> {
  const stored = await getThread(context.store, threadId);
  if (!stored) {
    publishCommentEvent(context, access.briefing.id, { type: "threadDeleted", threadId });
    return json({ ok: true as const, threadId, deleted: true }, { status });
  }
  const [thread] = await threadViews(context, access.briefing.id, [stored]);
  publishCommentEvent(context, access.briefing.id, { type: "thread", thread });
  return json({ ok: true as const, thread }, { status });
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= QUOTED_TEXT_MAX ? flat : `${flat.slice(0, QUOTED_TEXT_MAX - 1).trimEnd()}…`;
}

/**
 * The text an encoded anchor covers in the server's copy of the body: 400 when it is not a range of
 * this briefing's text or covers only whitespace, 409 when it names typing that has not reached the
 * server yet (the client retries).
 */
async function locateAnchor(
  context: AppLoadContext,
  access: CommentsAccess,
  anchorStart: string,
  anchorEnd: string,
): Promise<{ quoted: string } | { response: Response }> {
  const anchor = decodeAnchor({ start: anchorStart, end: anchorEnd });
  if (!anchor) return { response: fieldErrors({ anchorStart: ["That is not a text position."] }) };
  const located = await withBodyDocument(context, access.briefing.id, (doc) => {
    const range = doc.resolve(anchor);
    if (range) return { quoted: rangeText(doc.pmDoc, range) };
    return { ahead: doc.isAhead(anchor) };
  });
  if ("ahead" in located) {
    return {
      response: located.ahead
        ? fieldErrors({ anchorStart: ["The selected text has not reached the server yet. Try again in a moment."] }, 409)
        : fieldErrors({ anchorStart: ["The selection is not in this briefing's text."] }),
    };
  }
  if (located.quoted.trim() === "") return { response: fieldErrors({ anchorStart: ["Select some text to comment on."] }) };
  return { quoted: shorten(located.quoted) };
}

/** POST /briefings/:id/comments: a new thread on the range given by two encoded relative positions. */
export async function createThreadAction(context: AppLoadContext, access: CommentsAccess, form: FormData): Promise<Result> {
  requireRole(access, canComment(access.role), "Commenting needs the commenter role");
  const parsed = parse(NewThreadForm, form);
  if ("response" in parsed) return parsed.response;
  const { anchorStart, anchorEnd, body } = parsed.data;
  const mentions = await checkMentions(context, access.briefing.teamId, body);
  if ("response" in mentions) return mentions.response;
  const located = await locateAnchor(context, access, anchorStart, anchorEnd);
  if ("response" in located) return located.response;
  const limited = await commentRateLimited(context, access);
  if (limited) return limited;

  const threadId = await createThread(context.store, {
    briefingId: access.briefing.id,
    anchorStart: base64ToBytes(anchorStart),
    anchorEnd: base64ToBytes(anchorEnd),
    quotedText: located.quoted,
    authorId: access.user.id,
    body,
    mentions: mentions.mentions,
  });
  await notifyMentioned(context, access, threadId, mentions.mentions);
  context.logger.info("comments", "thread opened", { briefingId: access.briefing.id, userId: access.user.id, threadId });
  return publishThread(context, access, threadId, 201);
}

/** Each member mentioned (other than the writer) gets a notification that opens the thread. */
async function notifyMentioned(context: AppLoadContext, access: CommentsAccess, threadId: string, mentions: string[]) {
  for (const userId of mentions) {
    if (userId === access.user.id) continue;
    await notify(context.store, userId, "mentioned", {
      briefingId: access.briefing.id,
      link: `/briefings/${access.briefing.id}?thread=${threadId}`,
      text: `${access.user.name} mentioned you in a comment on “${access.briefing.title}”.`,
    });
  }
}

async function requireThread(context: AppLoadContext, access: CommentsAccess, threadId: string | undefined) {
  if (!isValidId(threadId)) throw notFound("Thread");
  const thread = await getThread(context.store, threadId);
  if (!thread || thread.briefingId !== access.briefing.id) throw notFound("Thread");
  return thread;
}

export async function threadViewFor(context: AppLoadContext, access: CommentsAccess, threadId: string | undefined): Promise<ThreadView> {
  return (await threadViews(context, access.briefing.id, [await requireThread(context, access, threadId)]))[0];
}

/** POST /briefings/:id/comments/:threadId with intent=reply|resolve|reopen|reanchor. */
export async function threadAction(context: AppLoadContext, access: CommentsAccess, threadId: string | undefined, form: FormData): Promise<Result> {
  const thread = await requireThread(context, access, threadId);
  const parsed = parse(ThreadIntentForm, form);
  if ("response" in parsed) return parsed.response;
  const input = parsed.data;
  const fields = { briefingId: access.briefing.id, userId: access.user.id, threadId: thread.id };
  if (input.intent === "reply") {
    requireRole(access, canComment(access.role), "Replying needs the commenter role");
    const mentions = await checkMentions(context, access.briefing.teamId, input.body);
    if ("response" in mentions) return mentions.response;
    const limited = await commentRateLimited(context, access);
    if (limited) return limited;
    await addComment(context.store, thread.id, access.user.id, input.body, mentions.mentions);
    await notifyMentioned(context, access, thread.id, mentions.mentions);
    context.logger.info("comments", "reply added", fields);
    return publishThread(context, access, thread.id, 201);
  }
  if (input.intent === "reanchor") {
    // Moving text is an edit of the body, so only those who may edit it move threads with it.
    requireRole(access, canResolve(access.role), "Moving a thread to other text needs the editor role");
    const located = await locateAnchor(context, access, input.anchorStart, input.anchorEnd);
    if ("response" in located) return located.response;
    await setThreadAnchor(context.store, thread.id, base64ToBytes(input.anchorStart), base64ToBytes(input.anchorEnd), located.quoted);
    context.logger.info("comments", "thread moved", fields);
    return publishThread(context, access, thread.id);
  }
  requireRole(access, canResolve(access.role), `${input.intent === "resolve" ? "Resolving" : "Reopening"} a thread needs the editor role`);
  await setThreadResolved(context.store, thread.id, input.intent === "resolve" ? access.user.id : null);
  context.logger.info("comments", input.intent === "resolve" ? "thread resolved" : "thread reopened", fields);
  return publishThread(context, access, thread.id);
}

/** POST /briefings/:id/comments/:threadId/:commentId with intent=edit|delete: the author's own comment only. */
export async function commentAction(
  context: AppLoadContext,
  access: CommentsAccess,
  threadId: string | undefined,
  commentId: string | undefined,
  form: FormData,
): Promise<Result> {
  const thread = await requireThread(context, access, threadId);
  if (!isValidId(commentId)) throw notFound("Comment");
  const comment = await getComment(context.store, commentId);
  if (!comment || comment.threadId !== thread.id || comment.body === "") throw notFound("Comment");
  const parsed = parse(CommentIntentForm, form);
  if ("response" in parsed) return parsed.response;
  const input = parsed.data;
  requireRole(access, canComment(access.role), `${input.intent === "edit" ? "Editing" : "Deleting"} comments needs the commenter role`);
  if (comment.authorId !== access.user.id) throw forbidden(`You can only ${input.intent} your own comments.`);
  const fields = { briefingId: access.briefing.id, userId: access.user.id, threadId: thread.id, commentId: comment.id };
  if (input.intent === "edit") {
    const mentions = await checkMentions(context, access.briefing.teamId, input.body);
    if ("response" in mentions) return mentions.response;
    const limited = await commentRateLimited(context, access);
    if (limited) return limited;
    await updateComment(context.store, comment.id, input.body, mentions.mentions);
    context.logger.info("comments", "comment edited", fields);
  } else {
    await deleteComment(context.store, comment.id);
    context.logger.info("comments", "comment deleted", fields);
  }
  return publishThread(context, access, thread.id);
}
