import { and, count, desc, eq, gte, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { AuditAction } from "../audit-actions";
import type { schema } from "../client";
import type { AuditEvent } from "../schema";
import { exec, type Store } from "../store";

export { AUDIT_ACTIONS, isAuditAction, type AuditAction } from "../audit-actions";

export interface NewAuditEvent {
  action: AuditAction;
  at?: Date;
  teamId?: string | null;
  actorId?: string | null;
  actorEmail?: string | null;
  briefingId?: string | null;
  target?: string | null;
  details?: Record<string, unknown>;
  ip?: string | null;
}

/** Appends one event. Call it inside the transaction of the change it records, where there is one. */
export async function insertAuditEvent(store: Store, event: NewAuditEvent): Promise<void> {
  await exec(store, (db, t) =>
    db.insert(t.auditEvents).values({
      at: event.at ?? new Date(),
      action: event.action,
      teamId: event.teamId ?? null,
      actorId: event.actorId ?? null,
      actorEmail: event.actorEmail ?? null,
      briefingId: event.briefingId ?? null,
      target: event.target ?? null,
      details: event.details ?? {},
      ip: event.ip ?? null,
    }),
  );
}

export interface AuditFilter {
  action?: AuditAction;
  /** The actor's email as recorded (case-insensitive). */
  person?: string;
  briefingId?: string;
  /** Inclusive lower bound. */
  from?: Date;
  /** Exclusive upper bound. */
  until?: Date;
}

/**
 * A team's trail: its own events, plus the account events (sign-in, sign-out, failed sign-ins on
 * their accounts), which belong to no team, of the people who are its members now.
 */
function teamCondition(t: typeof schema, teamId: string, filter: AuditFilter): SQL {
  const { auditEvents, memberships } = t;
  const members = sql`${auditEvents.actorId} in (select ${memberships.userId} from ${memberships} where ${memberships.teamId} = ${teamId})`;
  const conditions: (SQL | undefined)[] = [or(eq(auditEvents.teamId, teamId), and(isNull(auditEvents.teamId), members))];
  if (filter.action) conditions.push(eq(auditEvents.action, filter.action));
  if (filter.person) conditions.push(sql`lower(${auditEvents.actorEmail}) = ${filter.person.toLowerCase()}`);
  if (filter.briefingId) conditions.push(eq(auditEvents.briefingId, filter.briefingId));
  if (filter.from) conditions.push(gte(auditEvents.at, filter.from));
  if (filter.until) conditions.push(lt(auditEvents.at, filter.until));
  return and(...conditions)!;
}

/** Newest first (last written first); `beforeId` continues after the last row of a previous batch (for streaming). */
export async function listAuditEvents(
  store: Store,
  teamId: string,
  filter: AuditFilter,
  page: { limit: number; offset?: number; beforeId?: number },
): Promise<AuditEvent[]> {
  return exec(store, (db, t) => {
    const condition = teamCondition(t, teamId, filter);
    const where = page.beforeId !== undefined ? and(condition, lt(t.auditEvents.id, page.beforeId)) : condition;
    return (
      db
        .select()
        .from(t.auditEvents)
        .where(where)
        // Insertion order: ids only grow, and unlike the clock they never step back or tie.
        .orderBy(desc(t.auditEvents.id))
        .limit(page.limit)
        .offset(page.offset ?? 0)
    );
  });
}

export async function countAuditEvents(store: Store, teamId: string, filter: AuditFilter): Promise<number> {
  // count() maps to a number on both dialects (PostgreSQL's count(*) is a bigint, sent as text).
  const [{ n }] = await exec(store, (db, t) => db.select({ n: count() }).from(t.auditEvents).where(teamCondition(t, teamId, filter)));
  return n;
}

/** The people who appear in a team's trail, for the person filter. */
export async function listAuditPeople(store: Store, teamId: string): Promise<string[]> {
  const people = await exec(store, (db, t) => db.selectDistinct({ email: t.auditEvents.actorEmail }).from(t.auditEvents).where(teamCondition(t, teamId, {})));
  return people
    .map((r) => r.email)
    .filter((e): e is string => !!e)
    .sort();
}
