import type { AppLoadContext } from "@remix-run/node";
import { buildTemplateDocument } from "../../db/briefing-template";
import { createBriefing, deleteBriefing, type BriefingInput } from "../../db/queries/briefings";
import type { Db } from "../../db/client";
import { recordAudit, type AuditActor } from "./audit.server";
import { serviceUnavailable } from "./errors";

/**
 * Creates a briefing and stores its starting body through the document store (services.collab), the
 * one writer of stored documents. The row and its audit record share a transaction; the store is
 * asynchronous and may be another database, so the body cannot join it: when the body cannot be
 * stored the new briefing row is removed again (recorded as a deletion), and the user gets a 503 to
 * retry rather than an empty briefing.
 */
export async function createBriefingWithTemplate(context: AppLoadContext, teamId: string, input: BriefingInput, user: AuditActor & { id: string }) {
  return createBriefingWithBody(context, teamId, input, user, buildTemplateDocument(input.summitName), {});
}

/** A new briefing with `state` as its body; `details` add to the audit record (e.g. its source). */
export async function createBriefingWithBody(
  context: AppLoadContext,
  teamId: string,
  input: BriefingInput,
  user: AuditActor & { id: string },
  state: Uint8Array,
  details: Record<string, unknown>,
) {
  const collab = context.services.collab;
  if (!collab) throw serviceUnavailable("Briefings cannot be created right now: live editing is not running.");
  const briefing = context.db.transaction((tx) => {
    const created = createBriefing(tx as unknown as Db, teamId, input, user.id);
    recordAudit(context, user, {
      action: "briefing.create",
      teamId,
      briefingId: created.id,
      target: created.title,
      details: { classification: created.classification, ...details },
    }, tx as unknown as Db);
    return created;
  });
  try {
    await collab.createDocument(briefing.id, state);
  } catch (err) {
    context.db.transaction((tx) => {
      deleteBriefing(tx as unknown as Db, briefing.id);
      recordAudit(context, user, {
        action: "briefing.delete",
        teamId,
        briefingId: briefing.id,
        target: briefing.title,
        details: { reason: "its starting body could not be stored" },
      }, tx as unknown as Db);
    });
    context.logger.error("storing a new briefing's body failed; briefing removed", err, { briefingId: briefing.id, teamId });
    throw serviceUnavailable("The new briefing could not be stored. Please try again.");
  }
  return briefing;
}
