import { and, desc, eq, gte, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import type { AuditAction } from "../audit-actions";
import { auditEvents, memberships, type AuditEvent } from "../schema";

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
export function insertAuditEvent(db: Db, event: NewAuditEvent): void {
  db.insert(auditEvents)
    .values({
      at: event.at ?? new Date(),
      action: event.action,
      teamId: event.teamId ?? null,
      actorId: event.actorId ?? null,
      actorEmail: event.actorEmail ?? null,
      briefingId: event.briefingId ?? null,
      target: event.target ?? null,
      details: event.details ?? {},
      ip: event.ip ?? null,
    })
    .run();
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
function teamCondition(teamId: string, filter: AuditFilter): SQL {
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
export function listAuditEvents(
  db: Db,
  teamId: string,
  filter: AuditFilter,
  page: { limit: number; offset?: number; beforeId?: number },
): AuditEvent[] {
  const where = page.beforeId !== undefined ? and(teamCondition(teamId, filter), lt(auditEvents.id, page.beforeId)) : teamCondition(teamId, filter);
  return db
    .select()
    .from(auditEvents)
    .where(where)
    // Insertion order: ids only grow, and unlike the clock they never step back or tie.
    .orderBy(desc(auditEvents.id))
    .limit(page.limit)
    .offset(page.offset ?? 0)
    .all();
}

export function countAuditEvents(db: Db, teamId: string, filter: AuditFilter): number {
  return db.select({ n: sql<number>`count(*)` }).from(auditEvents).where(teamCondition(teamId, filter)).get()!.n;
}

/** The people who appear in a team's trail, for the person filter. */
export function listAuditPeople(db: Db, teamId: string): string[] {
  return db
    .selectDistinct({ email: auditEvents.actorEmail })
    .from(auditEvents)
    .where(teamCondition(teamId, {}))
    .all()
    .map((r) => r.email)
    .filter((e): e is string => !!e)
    .sort();
}
