import type { AppLoadContext } from "@remix-run/node";
import { buildTemplateDocument } from "../../db/briefing-template";
import { createBriefing, type BriefingInput } from "../../db/queries/briefings";
import { insertInitialSnapshot } from "../../db/queries/documents";
import type { Db } from "../../db/client";
import { recordAudit, type AuditActor } from "./audit.server";

/** Creates a briefing with its starting body and its audit record in one transaction. */
export function createBriefingWithTemplate(context: AppLoadContext, teamId: string, input: BriefingInput, user: AuditActor & { id: string }) {
  const state = buildTemplateDocument(input.summitName);
  return context.db.transaction((tx) => {
    const briefing = createBriefing(tx as unknown as Db, teamId, input, user.id);
    insertInitialSnapshot(tx as unknown as Db, briefing.id, state);
    recordAudit(context, user, {
      action: "briefing.create",
      teamId,
      briefingId: briefing.id,
      target: briefing.title,
      details: { classification: briefing.classification },
    }, tx as unknown as Db);
    return briefing;
  });
}
