import { and, desc, eq, max } from "drizzle-orm";
import type { schema } from "../client";
import { newId } from "../ids";
import type { BriefingStatus, ClearanceRecord } from "../schema";
import { exec, first, StoreError, type Store } from "../store";
import { isUniqueViolation } from "../unique-violation";

/**
 * Final versions and their clearance records (docs/decisions/0509): what finalizing writes, what
 * the versions page lists and what an export of a final version prints. The same code on SQLite and
 * PostgreSQL.
 */

export interface VersionSummary {
  version: number;
  contentHash: string;
  title: string;
  createdAt: Date;
  createdByName: string | null;
}

/** Every final version of a briefing, newest first. */
export async function listVersions(store: Store, briefingId: string): Promise<VersionSummary[]> {
  return exec(store, (db, t) =>
    db
      .select(summaryColumns(t))
      .from(t.briefingVersions)
      .leftJoin(t.users, eq(t.users.id, t.briefingVersions.createdBy))
      .where(eq(t.briefingVersions.briefingId, briefingId))
      .orderBy(desc(t.briefingVersions.version)),
  );
}

/** The columns of a VersionSummary (a version joined to its author). */
function summaryColumns(t: typeof schema) {
  const v = t.briefingVersions;
  return { version: v.version, contentHash: v.contentHash, title: v.title, createdAt: v.createdAt, createdByName: t.users.name };
}

export interface StoredVersion extends VersionSummary {
  /** Y.encodeStateAsUpdate of the document at finalization. */
  snapshot: Buffer;
  /** The briefing fields at finalization (summit, city, dates, classification). */
  details: Record<string, string>;
}

/** One stored version with its snapshot, or undefined. `version` null means the latest. */
export async function getVersion(store: Store, briefingId: string, version: number | null): Promise<StoredVersion | undefined> {
  const found = await exec(store, (db, t) => {
    const query = db
      .select({ ...summaryColumns(t), snapshot: t.briefingVersions.snapshot, details: t.briefingVersions.details })
      .from(t.briefingVersions)
      .leftJoin(t.users, eq(t.users.id, t.briefingVersions.createdBy));
    return version === null
      ? query.where(eq(t.briefingVersions.briefingId, briefingId)).orderBy(desc(t.briefingVersions.version)).limit(1)
      : query.where(and(eq(t.briefingVersions.briefingId, briefingId), eq(t.briefingVersions.version, version))).limit(1);
  });
  return first(found);
}

/** The clearance record stored with a final version (null for versions finalized before reviews). */
export async function getClearance(store: Store, briefingId: string, version: number): Promise<ClearanceRecord | null> {
  const found = await exec(store, (db, t) =>
    db
      .select({ r: t.clearanceRecords.record })
      .from(t.clearanceRecords)
      .where(and(eq(t.clearanceRecords.briefingId, briefingId), eq(t.clearanceRecords.version, version)))
      .limit(1),
  );
  return first(found)?.r ?? null;
}

/** Every clearance record of a briefing, newest version first (one query for the versions page). */
export async function listClearances(store: Store, briefingId: string): Promise<{ version: number; record: ClearanceRecord }[]> {
  return exec(store, (db, t) =>
    db
      .select({ version: t.clearanceRecords.version, record: t.clearanceRecords.record })
      .from(t.clearanceRecords)
      .where(eq(t.clearanceRecords.briefingId, briefingId))
      .orderBy(desc(t.clearanceRecords.version)),
  );
}

/**
 * Moves a briefing from `from` to `to` only if its status is still `from`, and says whether it did.
 * On PostgreSQL the update takes the briefing row's lock until the transaction ends: a concurrent
 * change of the same briefing waits for it, then finds the status changed and matches no row. On
 * SQLite transactions run one at a time, so the check is the same without a wait.
 */
export async function changeStatusIfStill(store: Store, briefingId: string, from: BriefingStatus, to: BriefingStatus, now: Date): Promise<boolean> {
  const changed = await exec(store, (db, t) =>
    db
      .update(t.briefings)
      .set({ status: to, updatedAt: now })
      .where(and(eq(t.briefings.id, briefingId), eq(t.briefings.status, from)))
      .returning({ id: t.briefings.id }),
  );
  return changed.length > 0;
}

export interface NewFinalVersion {
  briefingId: string;
  snapshot: Buffer;
  contentHash: string;
  title: string;
  details: Record<string, string>;
  createdBy: string;
  createdAt: Date;
  clearance: ClearanceRecord;
}

/**
 * The number a final version was to take is another row's already: only a writer that skipped the
 * status write's lock gets here (ADR 0509), and the unique index (migration 0011) refused the
 * version row, or the clearance records' primary key refused its record.
 */
export class FinalVersionTakenError extends StoreError {
  constructor(readonly briefingId: string, readonly version: number) {
    super(`Final version ${version} of briefing ${briefingId} was recorded by another write meanwhile.`);
  }
}

/** Whether `err` is the unique index on briefing_versions (briefing_id, version) refusing a row. */
export function isFinalVersionTaken(err: unknown): boolean {
  return isUniqueViolation(err, { sqlite: "briefing_versions.briefing_id, briefing_versions.version", pg: "briefing_versions_briefing_version_idx" });
}

/** Whether `err` is the primary key of clearance_records (briefing_id, version) refusing a record. */
function isClearanceRecordTaken(err: unknown): boolean {
  return isUniqueViolation(err, { sqlite: "clearance_records.briefing_id, clearance_records.version", pg: "clearance_records_briefing_id_version_pk" });
}

/**
 * Writes the next final version of a briefing and its clearance record, and returns its number.
 * Run it inside the caller's transaction, after `changeStatusIfStill` moved the briefing to final:
 * that update holds the briefing row (PostgreSQL) or the connection (SQLite) until commit, so no
 * other finalize of the briefing reads the same highest number. Should a writer ever skip that
 * step, the unique index refuses the second row (or the clearance records' primary key the second
 * record) and this throws FinalVersionTakenError (on
 * PostgreSQL the caller's transaction is then aborted and must roll back).
 */
export async function insertFinalVersion(store: Store, input: NewFinalVersion): Promise<number> {
  const { clearance, ...version } = input;
  const highest = first(await exec(store, (db, t) => db.select({ v: max(t.briefingVersions.version) }).from(t.briefingVersions).where(eq(t.briefingVersions.briefingId, input.briefingId))));
  const next = (highest?.v ?? 0) + 1;
  try {
    await exec(store, (db, t) => db.insert(t.briefingVersions).values({ id: newId(), ...version, version: next }));
  } catch (err) {
    if (isFinalVersionTaken(err)) throw new FinalVersionTakenError(input.briefingId, next);
    throw err;
  }
  try {
    await exec(store, (db, t) => db.insert(t.clearanceRecords).values({ briefingId: input.briefingId, version: next, record: clearance }));
  } catch (err) {
    if (isClearanceRecordTaken(err)) throw new FinalVersionTakenError(input.briefingId, next);
    throw err;
  }
  return next;
}
