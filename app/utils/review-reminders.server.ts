import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { briefings, reviewApprovers, reviewDecisions, reviews } from "../../db/schema";
import { notify } from "./notifications.server";

/** The UTC calendar day after `now`, as YYYY-MM-DD. */
export function tomorrow(now: Date): string {
  return new Date(now.getTime() + 24 * 3600 * 1000).toISOString().slice(0, 10);
}

/**
 * "A review is due tomorrow", computed when the user's notifications are read: one reminder per
 * review they are named on, in review, due the next UTC day, that they have not approved as a
 * whole. The dedupe key keeps it to one row however often they look.
 */
export function remindDueReviews(db: Db, userId: string, now = new Date()): void {
  const due = tomorrow(now);
  const rows = db
    .select({ id: briefings.id, title: briefings.title, dueDate: reviews.dueDate })
    .from(reviewApprovers)
    .innerJoin(reviews, eq(reviews.briefingId, reviewApprovers.briefingId))
    .innerJoin(briefings, eq(briefings.id, reviewApprovers.briefingId))
    .where(and(eq(reviewApprovers.userId, userId), eq(reviews.dueDate, due), eq(briefings.status, "in_review")))
    .all();
  for (const r of rows) {
    const approved = db
      .select({ d: reviewDecisions.decision })
      .from(reviewDecisions)
      .where(and(eq(reviewDecisions.briefingId, r.id), eq(reviewDecisions.userId, userId), eq(reviewDecisions.section, "brief"), eq(reviewDecisions.decision, "approved")))
      .get();
    if (approved) continue;
    notify(db, userId, "review_due", { briefingId: r.id, link: `/briefings/${r.id}`, text: `Your review of “${r.title}” is due tomorrow (${due}).` }, `review_due:${r.id}:${due}`);
  }
}
