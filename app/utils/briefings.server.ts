import type { AppLoadContext } from "@remix-run/node";
import { buildTemplateDocument } from "../../db/briefing-template";
import { createBriefing, type BriefingInput } from "../../db/queries/briefings";
import { insertInitialSnapshot } from "../../db/queries/documents";
import type { Db } from "../../db/client";

/** Creates a briefing with its starting body in one transaction. */
export function createBriefingWithTemplate(context: AppLoadContext, teamId: string, input: BriefingInput, userId: string) {
  const state = buildTemplateDocument(input.summitName);
  return context.db.transaction((tx) => {
    const briefing = createBriefing(tx as unknown as Db, teamId, input, userId);
    insertInitialSnapshot(tx as unknown as Db, briefing.id, state);
    return briefing;
  });
}
