import * as Y from "yjs";
import type { Authors } from "./compare-html";
import type { Store } from "../../db/store";
import type { VersionKind } from "../../db/schema";
import type { CollabService } from "../collab/service";
import type { Logger } from "../logger";
import { PendingChanges } from "./changes";
import type { ExportInfo } from "../export/model";
import { createHistoryEngine, type RestoreUpdate } from "./engine";
import { isHistoryUnavailable } from "./errors";
import type { HistoryPool } from "./pool";
import type { CompareFormat } from "./payload";
import { briefingExists, getReadMark, setReadMark } from "./reads";
import { markState, type SinceReadCounts, type SinceReadInput } from "./since-read";
import { createVersionStore, inProcessEncoder, type VersionEncoder, type VersionInfo } from "./version-store";

export type { VersionInfo };

export interface HistoryOptions {
  /** At most one automatic version per briefing per this many milliseconds (HISTORY_INTERVAL_MS). */
  intervalMs: number;
  /** A full state every this many versions (HISTORY_FULL_EVERY). */
  fullEvery: number;
  /**
   * The history threads that encode, rebuild and compare (docs/decisions/0110); null runs that work
   * on this thread (an in-memory database, which no other connection can open).
   */
  pool: HistoryPool | null;
  /** Rendered-version cache when there is no pool, in bytes. */
  cacheBytes: number;
}

/** What a person last saw of a briefing, and what changed since. */
export interface SinceLastRead {
  readAt: Date;
  /** Versions taken since, plus one for changes not yet in a version. */
  changes: number;
  /** User ids of everyone who changed something since. */
  authors: string[];
  /** Y.encodeStateVector of the document when they last read it, for the editor's highlight. */
  stateVector: Uint8Array;
  /** The latest version when they read it (0: none), the "before" of a comparison with now. */
  seq: number;
  /** Yjs client id → user id of the text typed since, so the editor can colour it per author. */
  clients: Record<string, string>;
  /** Ranges of text or blocks deleted since the mark, exactly (since-read.ts): the editor cannot show those inline. */
  deletions: number;
  /** Per user id ("" for nobody): characters typed since and still there, characters deleted since. */
  byAuthor: SinceReadCounts["byAuthor"];
}

/** A payload from a history thread as the bytes a route streams. */
const bytesOf = (payload: ArrayBuffer | null): Uint8Array | null => (payload ? new Uint8Array(payload) : null);

/**
 * Version history of every briefing (docs/decisions/0108): automatic versions as editing settles,
 * named, status and restore versions on request, comparison, restore through the live room, and
 * what each person last read. `services.history`.
 */
export function createHistoryService(database: Store, collab: CollabService, options: HistoryOptions, logger: Logger) {
  const store = createVersionStore(database, options.fullEvery);
  const pool = options.pool;
  const local = pool ? null : createHistoryEngine(store, options.cacheBytes);
  /** Encodes in a history thread; when none can take it, here, so a version is never lost to a busy pool. */
  const encoder: VersionEncoder = {
    async encode(briefingId, seq, state, prevVector) {
      if (local) return local.encode(briefingId, seq, state, prevVector);
      try {
        return (await pool!.run(briefingId, { type: "encode", briefingId, seq, state, prevVector }, false)) as { stored: Uint8Array; stateVector: Uint8Array };
      } catch (err) {
        if (!isHistoryUnavailable(err)) throw err;
        logger.warn("history", "history thread unavailable: version encoded on the main thread", { briefingId, seq, reason: err.reason });
        return inProcessEncoder.encode(briefingId, seq, state, prevVector);
      }
    },
    forget(briefingId, seq) {
      if (local) return local.forget(briefingId, seq);
      pool!.run(briefingId, { type: "forget", briefingId, seq }, false).catch(() => {});
    },
  };
  const pending = new Map<string, PendingChanges>();
  /** Briefings whose last version's time is still being read; a settle waits for it. */
  const loading = new Map<string, Promise<void>>();

  /** Changes taken for a version whose row is still being compressed and stored, per briefing. */
  const recording = new Map<string, Set<ReturnType<PendingChanges["take"]>>>();

  /**
   * A briefing's pending changes, created on its first change in this process. Changes are noted
   * inside the room's transaction, so the entry exists at once; when the last version was taken is
   * read meanwhile (never earlier than a version taken here since).
   */
  const pendingFor = (briefingId: string): PendingChanges => {
    let p = pending.get(briefingId);
    if (!p) {
      const created = (p = new PendingChanges(0));
      pending.set(briefingId, created);
      const load = store.lastAt(briefingId).then(
        (at) => void (created.lastVersionAt = Math.max(created.lastVersionAt, at)),
        (err: unknown) => logger.error("history: reading the last version's time failed", err, { briefingId }),
      );
      loading.set(briefingId, load);
      void load.finally(() => {
        if (loading.get(briefingId) === load) loading.delete(briefingId);
      });
    }
    return p;
  };

  /**
   * Takes the changes gathered since the last version, for a version of the state read in the same
   * synchronous step, so nothing lands in between. Until the row is stored, a reader's "since you
   * last read" finds these changes in `recording`: they are no longer pending and not yet a version.
   */
  const take = (briefingId: string) => {
    const changes = pendingFor(briefingId).take(Date.now());
    let inFlight = recording.get(briefingId);
    if (!inFlight) recording.set(briefingId, (inFlight = new Set()));
    inFlight.add(changes);
    return changes;
  };
  type Taken = ReturnType<typeof take>;

  const settle = (briefingId: string, changes: Taken) => {
    const inFlight = recording.get(briefingId);
    inFlight?.delete(changes);
    if (inFlight?.size === 0) recording.delete(briefingId);
  };

  /** Versions reach the store in the order their states were read, also when one first awaits a check. */
  const order = new Map<string, Promise<unknown>>();
  const inOrder = <T>(briefingId: string, fn: () => Promise<T>): Promise<T> => {
    const next = (order.get(briefingId) ?? Promise.resolve()).then(fn, fn);
    order.set(briefingId, next);
    next
      .finally(() => {
        if (order.get(briefingId) === next) order.delete(briefingId);
      })
      .catch(() => {});
    return next;
  };

  /** Stores a version of `state` with the changes taken with it; resolves once its row is stored (compressed off the event loop). */
  const write = async (briefingId: string, changes: Taken, state: Uint8Array, kind: VersionKind, name: string | null, userId: string | null, finalVersion: number | null) => {
    let info: VersionInfo;
    try {
      info = await store.record(briefingId, { kind, name, ...changes, state, createdBy: userId, finalVersion }, encoder);
    } finally {
      settle(briefingId, changes);
    }
    logger.info("history", "version recorded", { briefingId, seq: info.seq, kind, authors: info.authors.length, changeBytes: info.changeBytes, storedBytes: info.storedBytes });
    return info;
  };

  /** Records a version of `state` with the changes gathered since the last one. */
  const record = (briefingId: string, state: Uint8Array, kind: VersionKind, name: string | null, userId: string | null, finalVersion: number | null = null): Promise<VersionInfo> => {
    const changes = take(briefingId);
    return inOrder(briefingId, () => write(briefingId, changes, state, kind, name, userId, finalVersion));
  };

  const recordQuietly = (briefingId: string, state: () => Uint8Array, why: string) => {
    const failed = (err: unknown) => logger.error("history: recording a version failed", err, { briefingId, why });
    try {
      // The state and the changes now: an unloading room is gone after this event.
      const s = state();
      const changes = take(briefingId);
      inOrder(briefingId, async () => {
        // A deleted briefing's room unloads too: it has no history left to add to.
        if (await briefingExists(database, briefingId)) return write(briefingId, changes, s, "auto", null, null, null);
        settle(briefingId, changes);
      }).catch(failed);
    } catch (err) {
      failed(err);
    }
  };

  collab.onDocumentChanged((briefingId, userId, update, clients) => pendingFor(briefingId).note(userId, update, clients));

  // Editing settled: a version now when the interval since the last one has passed, else once it has.
  collab.onDocumentSettled((briefingId, _doc, state) => {
    const p = pending.get(briefingId);
    if (!p?.dirty) return;
    // The first settle of a briefing can come before its last version's time is read: decide after.
    const load = loading.get(briefingId);
    if (load) return void load.then(() => settled(briefingId, p, state));
    settled(briefingId, p, state);
  });

  const settled = (briefingId: string, p: PendingChanges, state: () => Uint8Array) => {
    if (!p.dirty || pending.get(briefingId) !== p) return;
    const wait = p.lastVersionAt + options.intervalMs - Date.now();
    if (wait <= 0) return recordQuietly(briefingId, state, "settled");
    if (p.timer) return;
    p.timer = setTimeout(() => {
      p.timer = null;
      if (!p.dirty) return;
      collab.getState(briefingId).then(
        (s) => recordQuietly(briefingId, () => s, "interval"),
        (err: unknown) => logger.error("history: reading the document for a version failed", err, { briefingId }),
      );
    }, wait);
    p.timer.unref();
  };

  // The last changes of a visit are never left out of the history.
  collab.onRoomUnloading((briefingId, state) => {
    const p = pending.get(briefingId);
    if (p?.dirty) recordQuietly(briefingId, state, "unload");
    if (p?.timer) clearTimeout(p.timer);
    pending.delete(briefingId);
  });

  const stateOf = async (briefingId: string, seq: number): Promise<Uint8Array | null> => {
    if (local) return local.state(briefingId, seq);
    return ((await pool!.run(briefingId, { type: "state", briefingId, seq }, true)) as { state: Uint8Array | null }).state;
  };

  return {
    store,
    /**
     * Starts the history thread that will serve `briefingId`'s comparisons if it is not running,
     * and has it render the newest version (the History page, the step before Compare, asks for it):
     * the thread's start and first rebuild are paid before the first comparison, not by it
     * (ADR 0110, 2026-12-03). With `versions`, those two instead (the Compare page's own, so that
     * their rebuild runs while the page loads and before it asks for compare.html). Nothing to do
     * without threads.
     */
    warm(briefingId: string, versions?: { older: number; newer: number }): void {
      if (!pool) return;
      pool.warm(briefingId);
      // Then the newest version rendered in it: the one most comparisons include. Counted against
      // the queue like a read, and never an error for the page (a busy pool just skips it).
      void (versions ? Promise.resolve(versions.newer) : store.latestSeq(briefingId))
        .then((seq) => (seq > 0 ? pool.run(briefingId, { type: "prepare", briefingId, seq, older: versions?.older }, true) : null))
        .catch((err: unknown) => {
          if (!isHistoryUnavailable(err)) logger.warn("history", "could not render versions ahead of a comparison", { briefingId, error: err instanceof Error ? err.message : String(err) });
        });
    },
    /**
     * Waits (at most `timeoutMs`) for the versions being recorded, such as those of rooms that
     * unloaded at shutdown, so they are stored before the database closes.
     */
    async drain(timeoutMs: number): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (order.size > 0 && Date.now() < deadline) {
        let timer: NodeJS.Timeout | undefined;
        const waitMs = deadline - Date.now();
        await Promise.race([Promise.allSettled([...order.values()]), new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
        clearTimeout(timer);
      }
      if (order.size > 0) logger.warn("history", "stopping with versions still being recorded", { briefings: order.size });
    },
    list: (briefingId: string) => store.list(briefingId),
    get: (briefingId: string, seq: number) => store.get(briefingId, seq),
    /** The full state of a version as one update, or null for an unknown version. Rebuilt in a history thread. */
    state: stateOf,

    /** A version of the current document (named, or at a status change). */
    async takeVersion(briefingId: string, kind: VersionKind, name: string | null, userId: string, finalVersion: number | null = null): Promise<VersionInfo> {
      const state = await collab.getState(briefingId);
      return record(briefingId, state, kind, name, userId, finalVersion);
    },

    /**
     * Compares versions `a` and `b` (either order; the older is the "before") in a history thread,
     * as the bytes the route sends (docs/decisions/0116): the comparison as JSON, or the page's
     * HTML the compare page inserts, with `authors`' names and colours. Null when one is unknown. Rejects
     * with HistoryUnavailableError when no thread can do it.
     */
    async compare(briefingId: string, a: number, b: number, format: CompareFormat, authors: Authors): Promise<Uint8Array | null> {
      const [older, newer] = a <= b ? [a, b] : [b, a];
      if (!(await store.get(briefingId, older)) || !(await store.get(briefingId, newer))) return null;
      const between = (await store.after(briefingId, older)).filter((v) => v.seq <= newer);
      const clients: Record<string, string> = {};
      for (const v of between) Object.assign(clients, v.clients);
      const authorIds = new Set(between.flatMap((v) => v.authors));
      const deleter = authorIds.size === 1 ? [...authorIds][0] : null;
      if (local) return bytesOf(await local.comparePayload(briefingId, older, newer, clients, deleter, format, authors));
      const result = await pool!.run(briefingId, { type: "compare", briefingId, older, newer, clients, deleter, format, authors }, true);
      return bytesOf((result as { payload: ArrayBuffer | null }).payload);
    },

    /** Version `seq` as the version page shows it (its body as HTML), built in a history thread; null when unknown. */
    async view(briefingId: string, seq: number, info: ExportInfo): Promise<Uint8Array | null> {
      if (local) return bytesOf(await local.view(briefingId, seq, info));
      return bytesOf(((await pool!.run(briefingId, { type: "view", briefingId, seq, info }, true)) as { payload: ArrayBuffer | null }).payload);
    },

    /**
     * Makes the live document's content that of version `seq`, as a change by `userId` through the
     * live room (everyone sees it at once), then records a restore version. The restoring update is
     * built in a history thread from the room's state; the room only applies it. Null for an unknown version.
     */
    async restore(briefing: { id: string; teamId: string; final: boolean }, seq: number, userId: string): Promise<{ version: VersionInfo; deleted: number; inserted: number } | null> {
      const live = await collab.getState(briefing.id);
      const built: RestoreUpdate | null = local
        ? await local.restore(briefing.id, seq, live)
        : ((await pool!.run(briefing.id, { type: "restore", briefingId: briefing.id, seq, live }, true)) as { restore: RestoreUpdate | null }).restore;
      if (!built) return null;
      // Edits that reached the room meanwhile merge with it like any concurrent change.
      await collab.change(briefing.id, userId, (doc) => Y.applyUpdate(doc, built.update));
      const version = await record(briefing.id, await collab.getState(briefing.id), "restore", `Restored version ${seq}`, userId);
      return { version, deleted: built.deleted, inserted: built.inserted };
    },

    /**
     * What changed since `userId` last read the briefing; null when nothing did. A first visit
     * records the read and reports nothing.
     */
    async sinceLastRead(briefingId: string, userId: string): Promise<SinceLastRead | null> {
      const row = await getReadMark(database, briefingId, userId);
      if (!row) {
        await this.markRead(briefingId, userId);
        return null;
      }
      const read = new Uint8Array(row.stateVector);
      // Versions recorded since that hold text typed since (a version may gather changes from before the read).
      const since = await store.after(briefingId, row.seq);
      const versions = since.filter((v) => v.stateVector && hasNewer(v.stateVector, read));
      const authors = new Set(versions.flatMap((v) => v.authors));
      const p = pending.get(briefingId);
      const inFlight = [...(recording.get(briefingId) ?? [])];
      for (const a of p?.authors ?? []) authors.add(a);
      for (const c of inFlight) for (const a of c.authors) authors.add(a);
      authors.delete(userId);
      if (authors.size === 0) return null;
      const changes = versions.length + inFlight.length + (p?.dirty ? 1 : 0);
      const clients: Record<string, string> = {};
      for (const v of versions) Object.assign(clients, v.clients);
      for (const c of inFlight) Object.assign(clients, c.clients);
      for (const [client, user] of p?.clients ?? []) clients[String(client)] = user;
      const input: SinceReadInput = {
        briefingId,
        live: await collab.getState(briefingId),
        read,
        readDeleteSet: row.deleteSet ? new Uint8Array(row.deleteSet) : null,
        seq: row.seq,
        clients,
        // Every version since, also those that only deleted: their delete sets tell who deleted what.
        versions: since.map((v) => ({ seq: v.seq, author: v.authors.length === 1 ? v.authors[0] : null })),
        pendingAuthor: p && p.authors.size === 1 ? [...p.authors][0] : null,
      };
      // The live state is decoded in a history thread; a busy pool costs the counts, never the banner.
      let counts: SinceReadCounts = { changed: true, deletions: 0, byAuthor: {} };
      try {
        counts = (local ? await local.sinceRead(input) : ((await pool!.run(briefingId, { type: "sinceRead", ...input }, true)) as { since: SinceReadCounts }).since) ?? counts;
      } catch (err) {
        if (!isHistoryUnavailable(err)) throw err;
      }
      if (!counts.changed) return null;
      return { readAt: row.readAt, changes: Math.max(1, changes), authors: [...authors], stateVector: read, seq: row.seq, clients, deletions: counts.deletions, byAuthor: counts.byAuthor };
    },

    /** Remembers that `userId` has seen the document as it is now. */
    async markRead(briefingId: string, userId: string): Promise<void> {
      const seq = await store.latestSeq(briefingId);
      const live = await collab.getState(briefingId);
      let mark: { stateVector: Uint8Array; deleteSet: Uint8Array };
      try {
        // Its delete set makes later counts exact (since-read.ts); decoded in a history thread.
        mark = local ? local.mark(live) : ((await pool!.run(briefingId, { type: "mark", briefingId, live }, false)) as { mark: typeof mark }).mark;
      } catch (err) {
        if (!isHistoryUnavailable(err)) throw err;
        mark = markState(live); // a mark is never lost to a busy pool
      }
      await setReadMark(database, briefingId, userId, { seq, stateVector: Buffer.from(mark.stateVector), deleteSet: Buffer.from(mark.deleteSet), readAt: new Date() });
    },
  };
}

export type HistoryService = ReturnType<typeof createHistoryService>;

/** Whether state vector `now` has a clock beyond `then` for any client. */
function hasNewer(now: Uint8Array, then: Uint8Array): boolean {
  const a = Y.decodeStateVector(now);
  const b = Y.decodeStateVector(then);
  for (const [client, clock] of a) if (clock > (b.get(client) ?? 0)) return true;
  return false;
}
