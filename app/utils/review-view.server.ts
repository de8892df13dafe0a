import { asc, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { agendaTopics, type Briefing } from "../../db/schema";
import type { ReviewPanelData } from "../components/review-panel";
import { activeApprovers, loadReview, WHOLE_BRIEF } from "./review.server";

/**
 * The review panel's data. Sections come from the agenda-topic projection (what the page can show
 * without reading the document); finalizing checks against the document itself.
 */
export function reviewPanelData(db: Db, briefing: Briefing): ReviewPanelData | null {
  const review = loadReview(db, briefing);
  if (!review) return null;
  const topics = db
    .select({ blockId: agendaTopics.blockId, number: agendaTopics.number, title: agendaTopics.title })
    .from(agendaTopics)
    .where(eq(agendaTopics.briefingId, briefing.id))
    .orderBy(asc(agendaTopics.number))
    .all();
  return {
    dueDate: review.dueDate,
    requestedByName: review.requestedByName,
    approvers: activeApprovers(review).map((a) => ({ userId: a.userId, name: a.name })),
    sections: [{ id: WHOLE_BRIEF, label: "Whole brief" }, ...topics.map((t) => ({ id: t.blockId, label: `Topic ${t.number}: ${t.title || "Untitled"}` }))],
    decisions: review.decisions.map((d) => ({ userId: d.userId, section: d.section, decision: d.decision, note: d.note, decidedAt: d.decidedAt.getTime() })),
  };
}
