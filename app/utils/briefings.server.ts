import type { AppLoadContext } from "@remix-run/node";
import { buildTemplateDocument } from "../../db/briefing-template";
import { createBriefing, type BriefingInput } from "../../db/queries/briefings";
import { documentSnapshots } from "../../db/schema";
import type { Db } from "../../db/client";

/** Creates a briefing with its starting body in one transaction. */
export function createBriefingWithTemplate(context: AppLoadContext, teamId: string, input: BriefingInput, userId: string) {
  const state = buildTemplateDocument(input.summitName);
  return context.db.transaction((tx) => {
    const briefing = createBriefing(tx as unknown as Db, teamId, input, userId);
    tx.insert(documentSnapshots).values({ briefingId: briefing.id, state: Buffer.from(state), lastUpdateId: 0, updatedAt: new Date() }).run();
    return briefing;
  });
}
