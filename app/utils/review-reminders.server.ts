import { and, eq } from "drizzle-orm";
import { exec, first, type Store } from "../../db/store";
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
export async function remindDueReviews(store: Store, userId: string, now = new Date()): Promise<void> {
  const due = tomorrow(now);
  const rows = await exec(store, (db, t) =>
    db
      .select({ id: t.briefings.id, title: t.briefings.title, dueDate: t.reviews.dueDate })
      .from(t.reviewApprovers)
      .innerJoin(t.reviews, eq(t.reviews.briefingId, t.reviewApprovers.briefingId))
      .innerJoin(t.briefings, eq(t.briefings.id, t.reviewApprovers.briefingId))
      .where(and(eq(t.reviewApprovers.userId, userId), eq(t.reviews.dueDate, due), eq(t.briefings.status, "in_review"))),
  );
  for (const r of rows) {
    const approved = first(
      await exec(store, (db, t) =>
        db
          .select({ d: t.reviewDecisions.decision })
          .from(t.reviewDecisions)
          .where(and(eq(t.reviewDecisions.briefingId, r.id), eq(t.reviewDecisions.userId, userId), eq(t.reviewDecisions.section, "brief"), eq(t.reviewDecisions.decision, "approved")))
          .limit(1),
      ),
    );
    if (approved) continue;
    await notify(store, userId, "review_due", { briefingId: r.id, link: `/briefings/${r.id}`, text: `Your review of “${r.title}” is due tomorrow (${due}).` }, `review_due:${r.id}:${due}`);
  }
}
