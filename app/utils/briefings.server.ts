import type { AppLoadContext } from "@remix-run/node";
import { buildTemplateDocument } from "../../db/briefing-template";
import { createBriefing, deleteBriefing, type BriefingInput } from "../../db/queries/briefings";
import { serviceUnavailable } from "./errors";

/**
 * Creates a briefing and stores its starting body through the document store (services.collab), the
 * one writer of stored documents. The store is asynchronous and may be another database, so the two
 * writes cannot share a transaction: when the body cannot be stored the new briefing row is removed
 * again, and the user gets a 503 to retry rather than an empty briefing.
 */
export async function createBriefingWithTemplate(context: AppLoadContext, teamId: string, input: BriefingInput, userId: string) {
  const collab = context.services.collab;
  if (!collab) throw serviceUnavailable("Briefings cannot be created right now: live editing is not running.");
  const state = buildTemplateDocument(input.summitName);
  const briefing = createBriefing(context.db, teamId, input, userId);
  try {
    await collab.createDocument(briefing.id, state);
  } catch (err) {
    deleteBriefing(context.db, briefing.id);
    context.logger.error("storing a new briefing's template failed; briefing removed", err, { briefingId: briefing.id, teamId });
    throw serviceUnavailable("The new briefing could not be stored. Please try again.");
  }
  return briefing;
}
