import type { AppLoadContext } from "@remix-run/node";
import * as Y from "yjs";
import { withTransaction, type Store } from "../../db/store";
import { getBriefing } from "../../db/queries/briefings";
import { changeStatusIfStill, FinalVersionTakenError, insertFinalVersion } from "../../db/queries/versions";
import type { Briefing, BriefingStatus, Role } from "../../db/schema";
import { contentHash } from "../../server/export/content-hash";
import { documentJSON } from "../../server/export/document-json";
import { recordAudit } from "./audit.server";
import { briefingFields } from "./content-hash.server";
import type { CurrentUser } from "./auth.server";
import { publishCommentEvent } from "./comment-events.server";
import { forbidden } from "./errors";
import { notify } from "./notifications.server";
import { activeApprovers, checkApprovers, clearanceRecord, describeMissing, loadReview, missingApprovals, startReview, type MissingApproval } from "./review.server";
import { sectionHashes } from "../../server/review/sections";
import { roleAtLeast } from "./roles";
import { STATUS_TRANSITIONS, type StatusTransition } from "./status";
import { readStoredDocument } from "./stored-document.server";

export { STATUS_TRANSITIONS };

export type StatusChangeResult =
  | { ok: true; status: BriefingStatus; version: number | null }
  | { ok: false; error: string; code?: 409; missing?: MissingApproval[] };

/** What the status form carries besides `to`: the review's approvers and due date, an owner's override. */
export interface StatusOptions {
  approvers?: string[];
  dueDate?: string | null;
  /** An owner's written reason to finalize without every approval. */
  overrideReason?: string | null;
}

/** The transition from the briefing's status to `to`, or an explanation of why there is none. */
export function findTransition(from: BriefingStatus, to: BriefingStatus): StatusTransition | string {
  if (from === to) return `The briefing is already ${to.replace("_", " ")}.`;
  const t = STATUS_TRANSITIONS.find((x) => x.from === from && x.to === to);
  if (t) return t;
  if (from === "draft" && to === "final") return "Send the briefing for review before finalizing it.";
  if (from === "final") return "A final briefing can only be reopened to draft.";
  return `A briefing cannot move from ${from.replace("_", " ")} to ${to.replace("_", " ")}.`;
}

/**
 * Moves a briefing along draft → in_review → final (editors and owners) or reopens a final one
 * (owners). Finalizing records a version: the Yjs state, the sha256 of the canonical body + fields,
 * who and when, with its clearance record. The status write is conditional on the status this
 * request read, so of two concurrent changes of one briefing the second is answered 409 and never
 * records a second version (ADR 0509). On SQLite everything from reading the document up to the
 * status write runs without yielding to I/O while the room is loaded, so no edit can land between
 * the snapshot and the freeze; on PostgreSQL the transaction's round trips leave a window of a
 * few milliseconds in which an edit reaches the live document but not the version (ADR 0509).
 * `briefingChanged` then makes the collaboration server refuse further edits at once.
 */
export async function changeBriefingStatus(
  context: AppLoadContext,
  access: { briefing: Briefing; role: Role },
  user: CurrentUser,
  to: BriefingStatus,
  options: StatusOptions = {},
): Promise<StatusChangeResult> {
  const { briefing, role } = access;
  const transition = findTransition(briefing.status, to);
  // Finalizing a final briefing conflicts with its state (409), like a finalize that lost a race.
  if (typeof transition === "string") return { ok: false, error: transition, ...(briefing.status === "final" && to === "final" ? { code: 409 as const } : {}) };
  if (!roleAtLeast(role, transition.minRole)) {
    throw forbidden(`${transition.label} needs the ${transition.minRole} role; you are ${role}.`);
  }
  const override = options.overrideReason?.trim() || null;
  if (override && (to !== "final" || role !== "owner")) {
    throw forbidden(`Only an owner may finalize without every approval; you are ${role}.`);
  }
  let approverIds: string[] = [];
  if (to === "in_review") {
    const checked = await checkApprovers(context.store, briefing.teamId, options.approvers ?? [], user.id);
    if ("error" in checked) return { ok: false, error: checked.error };
    approverIds = checked.ids;
  }
  let version: number | null = null;
  let clearedBy: string[] = [];
  if (to === "final") {
    const collab = context.services.collab;
    if (!collab) return { ok: false, error: "The collaboration service is not running, so the document cannot be recorded." };
    // Read before the document: on PostgreSQL each read waits for the database, and an edit that
    // reaches the room while the finalize waits is in the live document but not in the version.
    // A review read earlier than the document is safe: an approval counts only for the hash it names.
    const review = await loadReview(context.store, briefing);
    // A damaged document is answered 503 and never recorded as a final version.
    const doc = await readStoredDocument(() => collab.getDocument(briefing.id));
    try {
      const fields = briefingFields(briefing);
      const body = documentJSON(doc);
      const hash = contentHash(body, fields);
      // Approvals count only for the content as it is now: the hashes come from the same snapshot.
      const hashes = sectionHashes(body);
      const missing = review ? missingApprovals(review, hashes) : [];
      if (missing.length > 0 && !override) {
        return { ok: false, code: 409, missing, error: `Finalizing needs every approval. Missing: ${describeMissing(missing)}.` };
      }
      // No review on record (sent before sign-off existed) or every approver has left the team:
      // nobody cleared it, so only an owner's written override finalizes it.
      if ((!review || activeApprovers(review).length === 0) && !override) {
        return { ok: false, code: 409, missing: [], error: "Nobody who may approve is named for this review: send it for review again naming approvers, or an owner finalizes with a written reason." };
      }
      const clearance = clearanceRecord(review, hashes, user.name, override ? { byName: user.name, reason: override } : null);
      clearedBy = review ? Array.from(new Set(review.decisions.filter((d) => d.decision === "approved").map((d) => d.userId))) : [];
      const snapshot = Buffer.from(Y.encodeStateAsUpdate(doc));
      const written = await withTransaction(context.store, async (tx) => {
        const now = new Date();
        // First, so a concurrent finalize or reopen of this briefing waits for this one, and then
        // finds the status changed (ADR 0509).
        if (!(await changeStatusIfStill(tx, briefing.id, briefing.status, "final", now))) return null;
        const next = await insertFinalVersion(tx, {
          briefingId: briefing.id,
          snapshot,
          contentHash: hash,
          title: briefing.title,
          details: { ...fields },
          createdBy: user.id,
          createdAt: now,
          clearance,
        });
        await recordStatusChange(context, tx, briefing, user, to, { version: next, contentHash: hash });
        if (override) {
          await recordAudit(context, user, {
            action: "briefing.finalize_override",
            teamId: briefing.teamId,
            briefingId: briefing.id,
            target: briefing.title,
            details: { version: next, reason: override, missing: missing.map((m) => `${m.approverName}: ${m.label}`) },
          }, tx);
        }
        return next;
      }).catch(versionTaken);
      // The unique index refused the number: another write recorded that version meanwhile.
      if (written instanceof FinalVersionTakenError) return { ok: false, code: 409, error: `Version ${written.version} of this briefing was recorded by someone else meanwhile; reload and try again.` };
      version = written;
    } finally {
      doc.destroy();
    }
    if (version === null) return statusChangedMeanwhile(context, briefing.id);
  } else {
    const changed = await withTransaction(context.store, async (tx) => {
      if (!(await changeStatusIfStill(tx, briefing.id, briefing.status, to, new Date()))) return false;
      if (to === "in_review") await startReview(tx, briefing.id, user.id, approverIds, options.dueDate ?? null);
      await recordStatusChange(context, tx, briefing, user, to, {});
      return true;
    });
    if (!changed) return statusChangedMeanwhile(context, briefing.id);
  }
  // Announced as soon as it is written: an open room takes the status from this event, and checks
  // every edit and every accepted suggestion against it, so nothing may land between the status
  // write and the room hearing of it while the notifications and the history version are written.
  await context.events.publish("briefingChanged", { briefingId: briefing.id });
  await notifyStatusChange(context, briefing, user, to, to === "in_review" ? approverIds : clearedBy, options.dueDate ?? null);
  // Every status change is a point in the history (a final one linked to its frozen version).
  await recordStatusVersion(context, briefing.id, user.id, to, version);
  // Open pages show the new status and actions at once, and say who changed it.
  publishCommentEvent(context, briefing.id, { type: "status", status: to, byName: user.name });
  context.logger.info("briefing", "status changed", { briefingId: briefing.id, userId: user.id, from: briefing.status, to, version });
  return { ok: true, status: to, version };
}

/** A FinalVersionTakenError as a value (the caller answers 409); any other error is thrown on. */
function versionTaken(err: unknown): FinalVersionTakenError {
  if (err instanceof FinalVersionTakenError) return err;
  throw err;
}

/** 409 when another request changed the status between this one's read and its write. */
async function statusChangedMeanwhile(context: AppLoadContext, briefingId: string): Promise<StatusChangeResult> {
  const now = (await getBriefing(context.store, briefingId))?.status;
  const said = now ? `it is ${now.replace("_", " ")} now` : "it was deleted";
  return { ok: false, code: 409, error: `The briefing's status was changed by someone else meanwhile (${said}); reload and try again.` };
}

/** A history version at a status change; a failure is logged, never undoes the change. */
async function recordStatusVersion(context: AppLoadContext, briefingId: string, userId: string, to: BriefingStatus, finalVersion: number | null) {
  const history = context.services.history;
  if (!history) return;
  try {
    await history.takeVersion(briefingId, to === "final" ? "final" : "status", to === "final" ? `Final version ${finalVersion}` : `Status: ${to.replace("_", " ")}`, userId, finalVersion);
  } catch (err) {
    context.logger.error("history: status version failed", err, { briefingId, to });
  }
}

/** Tells the approvers named for a review that they were asked, and those who approved that it is final. */
async function notifyStatusChange(context: AppLoadContext, briefing: Briefing, user: CurrentUser, to: BriefingStatus, userIds: string[], dueDate: string | null) {
  const link = `/briefings/${briefing.id}`;
  for (const userId of userIds) {
    if (userId === user.id) continue;
    if (to === "in_review") {
      const due = dueDate ? ` by ${dueDate}` : "";
      await notify(context.store, userId, "review_requested", { briefingId: briefing.id, link, text: `${user.name} asked you to review “${briefing.title}”${due}.` });
    } else if (to === "final") {
      await notify(context.store, userId, "approved_finalized", { briefingId: briefing.id, link: `${link}/versions`, text: `“${briefing.title}”, which you approved, was finalized by ${user.name}.` });
    }
  }
}

/** The audit record of a status change, written in the transaction that makes it. */
async function recordStatusChange(context: AppLoadContext, store: Store, briefing: Briefing, user: CurrentUser, to: BriefingStatus, extra: Record<string, unknown>) {
  await recordAudit(context, user, {
    action: "briefing.status_change",
    teamId: briefing.teamId,
    briefingId: briefing.id,
    target: briefing.title,
    details: { from: briefing.status, to, ...extra },
  }, store);
}
