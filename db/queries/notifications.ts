import { and, count, desc, eq, isNull, sql } from "drizzle-orm";
import { newId } from "../ids";
import { NOTIFICATION_KINDS, type NotificationKind } from "../schema";
import { exec, first, type Store } from "../store";

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
 * (notification-events.server.ts) pushes the unread count. Keyed by the store's connection (SQLite)
 * or pool (PostgreSQL), so each server (and each test server) in a process has its own.
 */
const listeners = new WeakMap<object, Set<(userId: string) => void>>();

export function onNotificationsChanged(store: Store, listener: (userId: string) => void): () => void {
  let set = listeners.get(store.db);
  if (!set) listeners.set(store.db, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

function changed(store: Store, userId: string) {
  for (const l of Array.from(listeners.get(store.db) ?? [])) l(userId);
}

/**
 * Records a notification for one user and tells their open pages. `dedupeKey` makes a repeated
 * call a no-op (a computed reminder is recorded once). Returns whether a row was written.
 */
export async function notify(store: Store, userId: string, kind: NotificationKind, payload: NotificationPayload, dedupeKey?: string): Promise<boolean> {
  const { briefingId, ...rest } = payload;
  // RETURNING says whether the row was written on both dialects (a conflict returns no row).
  const written = await exec(store, (db, t) =>
    db
      .insert(t.notifications)
      .values({ id: newId(), userId, kind, briefingId: briefingId ?? null, payload: rest, createdAt: new Date(), dedupeKey: dedupeKey ?? null })
      .onConflictDoNothing()
      .returning({ id: t.notifications.id }),
  );
  if (written.length > 0) changed(store, userId);
  return written.length > 0;
}

export async function unreadCount(store: Store, userId: string): Promise<number> {
  // count() maps to a number on both dialects (PostgreSQL's count(*) is a bigint, sent as text).
  const [{ n }] = await exec(store, (db, t) =>
    db
      .select({ n: count() })
      .from(t.notifications)
      .where(and(eq(t.notifications.userId, userId), isNull(t.notifications.readAt))),
  );
  return n;
}

export async function listNotifications(store: Store, userId: string, limit: number): Promise<NotificationView[]> {
  const found = await exec(store, (db, t) =>
    db
      // The briefing's current title only while the user is still in its team: a former member keeps
      // their notifications (what they were told then) but does not follow the briefing any more.
      .select({ n: t.notifications, briefingTitle: sql<string | null>`case when ${t.memberships.userId} is null then null else ${t.briefings.title} end` })
      .from(t.notifications)
      .leftJoin(t.briefings, eq(t.briefings.id, t.notifications.briefingId))
      .leftJoin(t.memberships, and(eq(t.memberships.teamId, t.briefings.teamId), eq(t.memberships.userId, userId)))
      .where(eq(t.notifications.userId, userId))
      .orderBy(desc(t.notifications.createdAt))
      .limit(limit),
  );
  return found.map(({ n, briefingTitle }) => ({
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
export async function markRead(store: Store, userId: string, id: string): Promise<boolean> {
  const found = first(
    await exec(store, (db, t) =>
      db
        .select({ id: t.notifications.id })
        .from(t.notifications)
        .where(and(eq(t.notifications.id, id), eq(t.notifications.userId, userId)))
        .limit(1),
    ),
  );
  if (!found) return false;
  await exec(store, (db, t) => db.update(t.notifications).set({ readAt: new Date() }).where(and(eq(t.notifications.id, id), isNull(t.notifications.readAt))));
  changed(store, userId);
  return true;
}

export async function markAllRead(store: Store, userId: string): Promise<void> {
  await exec(store, (db, t) => db.update(t.notifications).set({ readAt: new Date() }).where(and(eq(t.notifications.userId, userId), isNull(t.notifications.readAt))));
  changed(store, userId);
}
