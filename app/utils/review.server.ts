import type { AppLoadContext } from "@remix-run/node";
import { getReview, listTeamMembersAmong, type ReviewApprover, type ReviewState } from "../../db/queries/reviews";
import type { Briefing, ClearanceEntry, ClearanceRecord } from "../../db/schema";
import type { Store } from "../../db/store";
import { documentJSON } from "../../server/export/document-json";
import { sectionHash, sectionHashes, sectionLabel, WHOLE_BRIEF, type SectionHashes } from "../../server/review/sections";
import { readStoredDocument } from "./stored-document.server";
import { roleAtLeast } from "./roles";

export { sectionLabel, WHOLE_BRIEF };
export { startReview } from "../../db/queries/reviews";

export type { ReviewApprover, ReviewState };

/** The briefing's review: who was named, their decisions; null when it was never sent for review. */
export function loadReview(store: Store, briefing: Pick<Briefing, "id" | "teamId">): Promise<ReviewState | null> {
  return getReview(store, briefing);
}

/** Approvers who are still in the team with at least the commenter role: those whose approval is needed. */
export function activeApprovers(review: ReviewState): ReviewApprover[] {
  return review.approvers.filter((a) => a.role !== null && roleAtLeast(a.role, "commenter"));
}

/**
 * Validates the approvers named for a review: team members who may at least comment, never the
 * person asking (a sign-off is someone else's word on the text). Returns an error message for the
 * form, or the distinct ids.
 */
export async function checkApprovers(store: Store, teamId: string, ids: string[], requesterId: string): Promise<{ ids: string[] } | { error: string }> {
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
  const rows = await listTeamMembersAmong(store, teamId, distinct);
  for (const id of distinct) {
    const row = rows.find((r) => r.userId === id);
    if (!row) return { error: "Every approver must be a member of this team." };
    if (!roleAtLeast(row.role, "commenter")) return { error: `${row.name} is a viewer; approvers must be able to at least comment.` };
  }
  return { ids: distinct };
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

