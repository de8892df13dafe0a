import type { AppLoadContext } from "@remix-run/node";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { memberships, reviewApprovers, reviewDecisions, reviews, users, type Briefing, type ClearanceEntry, type ClearanceRecord, type ReviewDecision } from "../../db/schema";
import { documentJSON } from "../../server/export/document-json";
import { sectionHash, sectionHashes, sectionLabel, WHOLE_BRIEF, type SectionHashes } from "../../server/review/sections";
import { readStoredDocument } from "./stored-document.server";
import { roleAtLeast } from "./roles";

export { sectionLabel, WHOLE_BRIEF };

export interface ReviewApprover {
  userId: string;
  name: string;
  /** Null when they left the team since (their decisions no longer count, nor are they needed). */
  role: string | null;
}

export interface ReviewState {
  requestedByName: string | null;
  requestedAt: number;
  dueDate: string | null;
  approvers: ReviewApprover[];
  decisions: ReviewDecision[];
}

/** The briefing's review: who was named, their decisions; null when it was never sent for review. */
export function loadReview(db: Db, briefing: Pick<Briefing, "id" | "teamId">): ReviewState | null {
  const review = db
    .select({ r: reviews, name: users.name })
    .from(reviews)
    .leftJoin(users, eq(users.id, reviews.requestedBy))
    .where(eq(reviews.briefingId, briefing.id))
    .get();
  if (!review) return null;
  const approvers = db
    .select({ userId: reviewApprovers.userId, name: users.name, role: memberships.role })
    .from(reviewApprovers)
    .innerJoin(users, eq(users.id, reviewApprovers.userId))
    .leftJoin(memberships, and(eq(memberships.userId, reviewApprovers.userId), eq(memberships.teamId, briefing.teamId)))
    .where(eq(reviewApprovers.briefingId, briefing.id))
    .orderBy(asc(users.name))
    .all();
  const decisions = db.select().from(reviewDecisions).where(eq(reviewDecisions.briefingId, briefing.id)).all();
  return { requestedByName: review.name, requestedAt: review.r.requestedAt.getTime(), dueDate: review.r.dueDate, approvers, decisions };
}

/** Approvers who are still in the team with at least the commenter role: those whose approval is needed. */
export function activeApprovers(review: ReviewState): ReviewApprover[] {
  return review.approvers.filter((a) => a.role !== null && roleAtLeast(a.role as "viewer", "commenter"));
}

/**
 * Validates the approvers named for a review: team members who may at least comment, never the
 * person asking (a sign-off is someone else's word on the text). Returns an error message for the
 * form, or the distinct ids.
 */
export function checkApprovers(db: Db, teamId: string, ids: string[], requesterId: string): { ids: string[] } | { error: string } {
  const distinct = Array.from(new Set(ids.filter((id) => id !== "")));
  if (distinct.length === 0) return { error: "Name at least one approver." };
  if (distinct.includes(requesterId)) {
    return {
      error:
        distinct.length === 1
          ? "You cannot be the only approver of your own review request: name someone else."
          : "You cannot approve your own review request: leave yourself out of the approvers.",
    };
  }
  const rows = db
    .select({ userId: memberships.userId, role: memberships.role, name: users.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.teamId, teamId), inArray(memberships.userId, distinct)))
    .all();
  for (const id of distinct) {
    const row = rows.find((r) => r.userId === id);
    if (!row) return { error: "Every approver must be a member of this team." };
    if (!roleAtLeast(row.role, "commenter")) return { error: `${row.name} is a viewer; approvers must be able to at least comment.` };
  }
  return { ids: distinct };
}

/** Starts a review (replacing any earlier one with its decisions), inside the status transaction. */
export function startReview(db: Db, briefingId: string, requestedBy: string, approverIds: string[], dueDate: string | null): void {
  db.delete(reviewDecisions).where(eq(reviewDecisions.briefingId, briefingId)).run();
  db.delete(reviewApprovers).where(eq(reviewApprovers.briefingId, briefingId)).run();
  db.insert(reviews)
    .values({ briefingId, requestedBy, requestedAt: new Date(), dueDate })
    .onConflictDoUpdate({ target: reviews.briefingId, set: { requestedBy, requestedAt: new Date(), dueDate } })
    .run();
  for (const userId of approverIds) db.insert(reviewApprovers).values({ briefingId, userId }).run();
}

/** The section hashes of the briefing's current document, read as finalizing reads it. */
export async function currentSectionHashes(context: AppLoadContext, briefingId: string): Promise<SectionHashes> {
  const collab = context.services.collab;
  if (!collab) throw new Response("The collaboration service is not running.", { status: 503 });
  const doc = await readStoredDocument(() => collab.getDocument(briefingId));
  try {
    return sectionHashes(documentJSON(doc));
  } finally {
    doc.destroy();
  }
}


export interface MissingApproval {
  userId: string;
  approverName: string;
  section: string;
  label: string;
}

/**
 * What still needs approving: for each active approver, the whole brief and every agenda topic
 * of the document as it is now, unless they approved exactly this content (same hash).
 */
export function missingApprovals(review: ReviewState, hashes: SectionHashes): MissingApproval[] {
  const missing: MissingApproval[] = [];
  const sections = [WHOLE_BRIEF, ...hashes.topics.map((t) => t.blockId)];
  for (const a of activeApprovers(review)) {
    for (const section of sections) {
      const d = review.decisions.find((x) => x.userId === a.userId && x.section === section);
      if (d?.decision === "approved" && d.contentHash === sectionHash(hashes, section)) continue;
      missing.push({ userId: a.userId, approverName: a.name, section, label: sectionLabel(hashes, section) });
    }
  }
  return missing;
}

/** "Dana Seitkali: Whole brief, Topic 2: Energy; …", for the 409 message. */
export function describeMissing(missing: MissingApproval[]): string {
  const byName = new Map<string, string[]>();
  for (const m of missing) byName.set(m.approverName, [...(byName.get(m.approverName) ?? []), m.label]);
  return Array.from(byName, ([name, labels]) => `${name}: ${labels.join(", ")}`).join("; ");
}

/** The clearance record written with a final version. */
export function clearanceRecord(
  review: ReviewState | null,
  hashes: SectionHashes,
  finalizedByName: string,
  override: { byName: string; reason: string } | null,
): ClearanceRecord {
  const entries: ClearanceEntry[] = [];
  const sections = [WHOLE_BRIEF, ...hashes.topics.map((t) => t.blockId)];
  for (const a of review ? activeApprovers(review) : []) {
    for (const section of sections) {
      const d = review!.decisions.find((x) => x.userId === a.userId && x.section === section);
      const current = d && d.contentHash === sectionHash(hashes, section);
      entries.push({
        approverName: a.name,
        section: sectionLabel(hashes, section),
        decision: current && d.decision === "approved" ? "approved" : current && d.decision === "changes_requested" ? "changes_requested" : "missing",
        at: current ? d.decidedAt.getTime() : null,
        note: current ? d.note : "",
      });
    }
  }
  return { finalizedByName, finalizedAt: Date.now(), entries, override };
}

