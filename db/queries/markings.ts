import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { briefingMarkings, briefings, teams, type BriefingMarking } from "../schema";

/** A team's classification levels as stored (JSON text; read with `parseLevels`). */
export function setTeamClassificationLevels(db: Db, teamId: string, levelsJson: string): void {
  db.update(teams).set({ classificationLevels: levelsJson }).where(eq(teams.id, teamId)).run();
}

export interface NewMarking {
  briefingId: string;
  fromLevel: string;
  toLevel: string;
  reason: string;
  status: BriefingMarking["status"];
  changedBy: string;
  changedByName: string;
}

/**
 * Sets a briefing's minimum level and records the marking version, whatever its status: a final
 * brief is frozen in its text, not in how it is marked. Run it inside the transaction of its audit row.
 */
export function reclassify(db: Db, input: NewMarking): BriefingMarking {
  const now = new Date();
  db.update(briefings).set({ classification: input.toLevel, updatedAt: now }).where(eq(briefings.id, input.briefingId)).run();
  const version = sql<number>`(select coalesce(max(version), 0) + 1 from briefing_markings where briefing_id = ${input.briefingId})`;
  return db
    .insert(briefingMarkings)
    .values({ ...input, version, changedAt: now })
    .returning()
    .get();
}

/** The marking history of a briefing, oldest first. */
export function listMarkings(db: Db, briefingId: string): BriefingMarking[] {
  return db.select().from(briefingMarkings).where(eq(briefingMarkings.briefingId, briefingId)).orderBy(asc(briefingMarkings.version)).all();
}
