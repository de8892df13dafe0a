import { listReviewTopics } from "../../db/queries/reviews";
import type { Briefing } from "../../db/schema";
import type { Store } from "../../db/store";
import type { ReviewPanelData } from "../components/review-panel";
import { activeApprovers, loadReview, WHOLE_BRIEF } from "./review.server";

/**
 * The review panel's data. Sections come from the agenda-topic projection (what the page can show
 * without reading the document); finalizing checks against the document itself.
 */
export async function reviewPanelData(store: Store, briefing: Briefing): Promise<ReviewPanelData | null> {
  const review = await loadReview(store, briefing);
  if (!review) return null;
  const topics = await listReviewTopics(store, briefing.id);
  return {
    dueDate: review.dueDate,
    requestedByName: review.requestedByName,
    approvers: activeApprovers(review).map((a) => ({ userId: a.userId, name: a.name })),
    sections: [{ id: WHOLE_BRIEF, label: "Whole brief" }, ...topics.map((t) => ({ id: t.blockId, label: `Topic ${t.number}: ${t.title || "Untitled"}` }))],
    decisions: review.decisions.map((d) => ({ userId: d.userId, section: d.section, decision: d.decision, note: d.note, decidedAt: d.decidedAt.getTime() })),
  };
}
