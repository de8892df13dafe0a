import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../client";
import { newId } from "../ids";
import { briefings, memberships, notifications, NOTIFICATION_KINDS, type NotificationKind } from "../schema";

export { NOTIFICATION_KINDS, type NotificationKind };

/**
 * What a notification says and where it leads. `briefingId` ties it to a briefing (deleting the
 * briefing deletes it); `link` is a path inside the app; `text` the line shown in the list.
 */
export interface NotificationPayload {
  briefingId?: string;
  link: string;
  text: string;
  [key: string]: unknown;
}

export interface NotificationView {
  id: string;
  kind: NotificationKind;
  text: string;
  link: string;
  briefingTitle: string | null;
  createdAt: number;
  read: boolean;
}

/**
 * Listeners per database, told which user has a new or changed notification: the live stream
 * (notification-events.server.ts) pushes the unread count. Keyed by the connection so each server
 * (and each test server) in a process has its own.
 */
const listeners = new WeakMap<Db, Set<(userId: string) => void>>();

export function onNotificationsChanged(db: Db, listener: (userId: string) => void): () => void {
  let set = listeners.get(db);
  if (!set) listeners.set(db, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

function changed(db: Db, userId: string) {
  for (const l of Array.from(listeners.get(db) ?? [])) l(userId);
}

/**
 * Records a notification for one user and tells their open pages. `dedupeKey` makes a repeated
 * call a no-op (a computed reminder is recorded once). Returns whether a row was written.
 */
export function notify(db: Db, userId: string, kind: NotificationKind, payload: NotificationPayload, dedupeKey?: string): boolean {
  const { briefingId, ...rest } = payload;
  const result = db
    .insert(notifications)
    .values({ id: newId(), userId, kind, briefingId: briefingId ?? null, payload: rest, createdAt: new Date(), dedupeKey: dedupeKey ?? null })
    .onConflictDoNothing()
    .run();
  if (result.changes > 0) changed(db, userId);
  return result.changes > 0;
}

export function unreadCount(db: Db, userId: string): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
      .get()?.n ?? 0
  );
}

export function listNotifications(db: Db, userId: string, limit: number): NotificationView[] {
  return db
    // The briefing's current title only while the user is still in its team: a former member keeps
    // their notifications (what they were told then) but does not follow the briefing any more.
    .select({ n: notifications, briefingTitle: sql<string | null>`case when ${memberships.userId} is null then null else ${briefings.title} end` })
    .from(notifications)
    .leftJoin(briefings, eq(briefings.id, notifications.briefingId))
    .leftJoin(memberships, and(eq(memberships.teamId, briefings.teamId), eq(memberships.userId, userId)))
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt))
    .limit(limit)
    .all()
    .map(({ n, briefingTitle }) => ({
      id: n.id,
      kind: n.kind,
      text: typeof n.payload.text === "string" ? n.payload.text : n.kind,
      link: typeof n.payload.link === "string" && n.payload.link.startsWith("/") ? n.payload.link : "/notifications",
      briefingTitle,
      createdAt: n.createdAt.getTime(),
      read: n.readAt !== null,
    }));
}

/** Marks one of the user's notifications read; false when it is not theirs or does not exist. */
export function markRead(db: Db, userId: string, id: string): boolean {
  const found = db.select({ id: notifications.id }).from(notifications).where(and(eq(notifications.id, id), eq(notifications.userId, userId))).get();
  if (!found) return false;
  db.update(notifications).set({ readAt: new Date() }).where(and(eq(notifications.id, id), isNull(notifications.readAt))).run();
  changed(db, userId);
  return true;
}

export function markAllRead(db: Db, userId: string): void {
  db.update(notifications).set({ readAt: new Date() }).where(and(eq(notifications.userId, userId), isNull(notifications.readAt))).run();
  changed(db, userId);
}
