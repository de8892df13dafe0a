import type { AppLoadContext } from "@remix-run/node";
import { listMarkings, reclassify, setTeamClassificationLevels } from "../../db/queries/markings";
import type { Briefing, Team } from "../../db/schema";
import { withTransaction } from "../../db/store";
import { effectiveLevel, levelRank, parseLevels, sanitizeLevelName, validateLevels, type ClassificationLevel } from "../../extensions/portion-mark/levels";
import { recordAudit, type AuditActor } from "./audit.server";
import { badRequest } from "./errors";

export { listMarkings };

/** Longest reclassification reason kept. */
export const RECLASSIFY_REASON_MAX = 1000;

export function teamLevels(team: Pick<Team, "classificationLevels">): ClassificationLevel[] {
  return parseLevels(team.classificationLevels);
}

/**
 * The level the briefings list and the editor header show: the higher of the minimum level and
 * the highest portion mark the projection found in the stored body (ADR 0406).
 */
export function briefingLevel(levels: readonly ClassificationLevel[], briefing: Pick<Briefing, "classification" | "portionMarks">): string {
  return effectiveLevel(levels, briefing.classification, briefing.portionMarks ?? []);
}

/**
 * The owners' form: one level per line, lowest first, written `NAME (ABBR)`. Returns the levels
 * or throws a 400 that says what is wrong.
 */
export function parseLevelsForm(text: unknown): ClassificationLevel[] {
  if (typeof text !== "string" || text.length > 2000) throw badRequest("Give the levels as text, one per line.");
  const rows = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const m = /^(.*?)\s*\(([^()]*)\)$/.exec(line);
      return m ? { name: m[1], abbr: m[2] } : { name: line, abbr: "" };
    });
  const checked = validateLevels(rows);
  if ("error" in checked) throw badRequest(checked.error);
  return checked.levels;
}

/** Replaces a team's levels, with an audit row in the same transaction. */
export async function saveTeamLevels(context: AppLoadContext, team: Team, actor: AuditActor, levels: ClassificationLevel[]): Promise<void> {
  const from = teamLevels(team);
  const json = JSON.stringify(levels);
  if (JSON.stringify(from) === json) return;
  await withTransaction(context.store, async (tx) => {
    await setTeamClassificationLevels(tx, team.id, json);
    await recordAudit(
      context,
      actor,
      { action: "team.settings_change", teamId: team.id, details: { setting: "classification_levels", from: from.map(label), to: levels.map(label) } },
      tx,
    );
  });
}

const label = (l: ClassificationLevel) => `${l.name} (${l.abbr})`;

/**
 * Changes a briefing's minimum level with a written reason, also when final (a marking version,
 * not a content version), and records `briefing.reclassified`. 400 for an unknown level, a missing
 * reason or no change.
 */
export async function reclassifyBriefing(
  context: AppLoadContext,
  input: { briefing: Briefing; team: Team; actor: AuditActor & { id: string; name: string }; to: unknown; reason: unknown },
) {
  const levels = teamLevels(input.team);
  const to = sanitizeLevelName(input.to);
  if (!to || levelRank(levels, to) >= levels.length) throw badRequest(`Choose one of the team's levels: ${levels.map((l) => l.name).join(", ")}.`);
  const reason = typeof input.reason === "string" ? input.reason.replace(/\s+/g, " ").trim() : "";
  if (!reason) throw badRequest("Say why the briefing is reclassified: a reason is required.");
  if (reason.length > RECLASSIFY_REASON_MAX) throw badRequest(`A reason has at most ${RECLASSIFY_REASON_MAX} characters.`);
  const from = input.briefing.classification;
  if (to === from) throw badRequest(`The briefing's minimum level is already ${to}.`);
  return withTransaction(context.store, async (tx) => {
    const marking = await reclassify(tx, {
      briefingId: input.briefing.id,
      fromLevel: from,
      toLevel: to,
      reason,
      status: input.briefing.status,
      changedBy: input.actor.id,
      changedByName: input.actor.name,
    });
    await recordAudit(
      context,
      input.actor,
      {
        action: "briefing.reclassified",
        teamId: input.briefing.teamId,
        briefingId: input.briefing.id,
        target: input.briefing.title,
        details: { from, to, reason, status: input.briefing.status, markingVersion: marking.version },
      },
      tx,
    );
    return marking;
  });
}
