import { asc, eq, sql } from "drizzle-orm";
import type { BriefingMarking } from "../schema";
import { exec, type Store } from "../store";

/** A team's classification levels as stored (JSON text; read with `parseLevels`). */
export async function setTeamClassificationLevels(store: Store, teamId: string, levelsJson: string): Promise<void> {
  await exec(store, (db, t) => db.update(t.teams).set({ classificationLevels: levelsJson }).where(eq(t.teams.id, teamId)));
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
export async function reclassify(store: Store, input: NewMarking): Promise<BriefingMarking> {
  const now = new Date();
  await exec(store, (db, t) => db.update(t.briefings).set({ classification: input.toLevel, updatedAt: now }).where(eq(t.briefings.id, input.briefingId)));
  const version = sql<number>`(select coalesce(max(version), 0) + 1 from briefing_markings where briefing_id = ${input.briefingId})`;
  const [marking] = await exec(store, (db, t) =>
    db
      .insert(t.briefingMarkings)
      .values({ ...input, version, changedAt: now })
      .returning(),
  );
  return marking;
}

/** The marking history of a briefing, oldest first. */
export async function listMarkings(store: Store, briefingId: string): Promise<BriefingMarking[]> {
  return exec(store, (db, t) => db.select().from(t.briefingMarkings).where(eq(t.briefingMarkings.briefingId, briefingId)).orderBy(asc(t.briefingMarkings.version)));
}
