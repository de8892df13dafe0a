import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { schema, type Db } from "../client";
import type { ReviewDecision, Role } from "../schema";
import { exec, first, withTransaction, type Store } from "../store";

/** Review sign-off (docs/decisions/0503): who was asked, and each approver's decision per section. */

export interface ReviewApprover {
  userId: string;
  name: string;
  /** Null when they left the team since (their decisions no longer count, nor are they needed). */
  role: Role | null;
}

export interface ReviewState {
  requestedByName: string | null;
  requestedAt: number;
  dueDate: string | null;
  approvers: ReviewApprover[];
  decisions: ReviewDecision[];
}

/** The briefing's review: who was named, their decisions; null when it was never sent for review. */
export async function getReview(store: Store, briefing: { id: string; teamId: string }): Promise<ReviewState | null> {
  const review = first(
    await exec(store, (db, t) =>
      db
        .select({ r: t.reviews, name: t.users.name })
        .from(t.reviews)
        .leftJoin(t.users, eq(t.users.id, t.reviews.requestedBy))
        .where(eq(t.reviews.briefingId, briefing.id))
        .limit(1),
    ),
  );
  if (!review) return null;
  const approvers = await exec(store, (db, t) =>
    db
      .select({ userId: t.reviewApprovers.userId, name: t.users.name, role: t.memberships.role })
      .from(t.reviewApprovers)
      .innerJoin(t.users, eq(t.users.id, t.reviewApprovers.userId))
      .leftJoin(t.memberships, and(eq(t.memberships.userId, t.reviewApprovers.userId), eq(t.memberships.teamId, briefing.teamId)))
      .where(eq(t.reviewApprovers.briefingId, briefing.id))
      .orderBy(asc(t.users.name)),
  );
  const decisions = await exec(store, (db, t) => db.select().from(t.reviewDecisions).where(eq(t.reviewDecisions.briefingId, briefing.id)));
  return { requestedByName: review.name, requestedAt: review.r.requestedAt.getTime(), dueDate: review.r.dueDate, approvers, decisions };
}

/** The team's members among `userIds`, with their role and name (to validate approvers). */
export async function listTeamMembersAmong(store: Store, teamId: string, userIds: string[]): Promise<{ userId: string; role: Role; name: string }[]> {
  if (userIds.length === 0) return [];
  return exec(store, (db, t) =>
    db
      .select({ userId: t.memberships.userId, role: t.memberships.role, name: t.users.name })
      .from(t.memberships)
      .innerJoin(t.users, eq(t.users.id, t.memberships.userId))
      .where(and(eq(t.memberships.teamId, teamId), inArray(t.memberships.userId, userIds))),
  );
}

/**
 * Starts a review, replacing any earlier one with its decisions (an earlier round's approvals
 * never clear a new one). In the caller's transaction when given one (the status change's).
 */
export async function startReview(store: Store, briefingId: string, requestedBy: string, approverIds: string[], dueDate: string | null): Promise<void> {
  await withTransaction(store, async (tx) => {
    const requestedAt = new Date();
    await exec(tx, (db, t) => db.delete(t.reviewDecisions).where(eq(t.reviewDecisions.briefingId, briefingId)));
    await exec(tx, (db, t) => db.delete(t.reviewApprovers).where(eq(t.reviewApprovers.briefingId, briefingId)));
    await exec(tx, (db, t) =>
      db
        .insert(t.reviews)
        .values({ briefingId, requestedBy, requestedAt, dueDate })
        .onConflictDoUpdate({ target: t.reviews.briefingId, set: { requestedBy, requestedAt, dueDate } }),
    );
    if (approverIds.length > 0) await exec(tx, (db, t) => db.insert(t.reviewApprovers).values(approverIds.map((userId) => ({ briefingId, userId }))));
  });
}

export interface DecisionInput {
  briefingId: string;
  userId: string;
  section: string;
  decision: ReviewDecision["decision"];
  note: string;
  /** The server's hash of the section when the decision was made. */
  contentHash: string;
}

/** Records an approver's decision on a section, replacing their earlier one on it. */
export async function saveReviewDecision(store: Store, input: DecisionInput): Promise<void> {
  const values = { decision: input.decision, note: input.note, contentHash: input.contentHash, decidedAt: new Date() };
  await exec(store, (db, t) =>
    db
      .insert(t.reviewDecisions)
      .values({ briefingId: input.briefingId, userId: input.userId, section: input.section, ...values })
      .onConflictDoUpdate({ target: [t.reviewDecisions.briefingId, t.reviewDecisions.userId, t.reviewDecisions.section], set: values }),
  );
}

/** The approvals stored for a briefing (not the requests for changes). */
export async function listApprovals(store: Store, briefingId: string): Promise<ReviewDecision[]> {
  return exec(store, (db, t) =>
    db
      .select()
      .from(t.reviewDecisions)
      .where(and(eq(t.reviewDecisions.briefingId, briefingId), eq(t.reviewDecisions.decision, "approved"))),
  );
}

/** Whether any approval is stored for the briefing (the settle check is skipped otherwise). */
export async function hasApprovals(store: Store, briefingId: string): Promise<boolean> {
  const found = await exec(store, (db, t) =>
    db
      .select({ s: t.reviewDecisions.section })
      .from(t.reviewDecisions)
      .where(and(eq(t.reviewDecisions.briefingId, briefingId), eq(t.reviewDecisions.decision, "approved")))
      .limit(1),
  );
  return found.length > 0;
}

/**
 * Deletes an approval that was read as stale, only if it is still that approval (same hash): an
 * approver who approved the new content meanwhile keeps the new approval. True when this call
 * deleted it, so of two overlapping resets exactly one announces it.
 */
export async function resetApproval(store: Store, approval: Pick<ReviewDecision, "briefingId" | "userId" | "section" | "contentHash">): Promise<boolean> {
  const gone = await exec(store, (db, t) =>
    db
      .delete(t.reviewDecisions)
      .where(
        and(
          eq(t.reviewDecisions.briefingId, approval.briefingId),
          eq(t.reviewDecisions.userId, approval.userId),
          eq(t.reviewDecisions.section, approval.section),
          eq(t.reviewDecisions.decision, "approved"),
          eq(t.reviewDecisions.contentHash, approval.contentHash),
        ),
      )
      .returning({ section: t.reviewDecisions.section }),
  );
  return gone.length > 0;
}

/**
 * SQLite only: the settle check's first statement, compiled once per database. It runs on every
 * settle of every briefing, nearly all of which are not in review, and building drizzle's SQL per
 * call cost more than running it.
 */
const inReviewStatements = new WeakMap<Db, ReturnType<typeof prepareInReview>>();

function prepareInReview(db: Db) {
  return db
    .select({ id: schema.briefings.id, title: schema.briefings.title })
    .from(schema.briefings)
    .where(and(eq(schema.briefings.id, sql.placeholder("id")), eq(schema.briefings.status, "in_review")))
    .prepare();
}

/** The briefing's id and title when it is in review; undefined otherwise (or when it does not exist). */
export async function getBriefingInReview(store: Store, briefingId: string): Promise<{ id: string; title: string } | undefined> {
  if (store.dialect === "sqlite") {
    let statement = inReviewStatements.get(store.db);
    if (!statement) inReviewStatements.set(store.db, (statement = prepareInReview(store.db)));
    const prepared = statement;
    return exec(store, () => prepared.get({ id: briefingId }));
  }
  return first(
    await exec(store, (db, t) =>
      db
        .select({ id: t.briefings.id, title: t.briefings.title })
        .from(t.briefings)
        .where(and(eq(t.briefings.id, briefingId), eq(t.briefings.status, "in_review")))
        .limit(1),
    ),
  );
}

/** The briefing's agenda topics as projected (number order), for the review panel's sections. */
export async function listReviewTopics(store: Store, briefingId: string): Promise<{ blockId: string; number: number; title: string }[]> {
  return exec(store, (db, t) =>
    db
      .select({ blockId: t.agendaTopics.blockId, number: t.agendaTopics.number, title: t.agendaTopics.title })
      .from(t.agendaTopics)
      .where(eq(t.agendaTopics.briefingId, briefingId))
      .orderBy(asc(t.agendaTopics.number)),
  );
}
