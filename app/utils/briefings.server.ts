import type { AppLoadContext } from "@remix-run/node";
import { prosemirrorJSONToYDoc, yXmlFragmentToProsemirrorJSON } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { buildTemplateDocument } from "../../db/briefing-template";
import { createBriefing, deleteBriefing, getBriefingAccess, type BriefingInput } from "../../db/queries/briefings";
import { isValidId } from "../../db/ids";
import { withTransaction } from "../../db/store";
import type { Briefing, Role } from "../../db/schema";
import { COLLAB_FIELD, getBriefingSchema } from "../../extensions";
import { recordAudit, type AuditActor } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { TITLE_MAX } from "./briefing-validation";
import { forbidden, notFound, serviceUnavailable } from "./errors";
import { roleAtLeast } from "./roles";
import { readStoredDocument } from "./stored-document.server";
import { serverDoc } from "../../server/yjs-doc";

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
): Promise<Briefing> {
  const collab = context.services.collab;
  if (!collab) throw serviceUnavailable("Briefings cannot be created right now: live editing is not running.");
  const briefing = await withTransaction(context.store, async (tx) => {
    const created = await createBriefing(tx, teamId, input, user.id);
    await recordAudit(context, user, {
      action: "briefing.create",
      teamId,
      briefingId: created.id,
      target: created.title,
      details: { classification: created.classification, ...details },
    }, tx);
    return created;
  });
  try {
    await collab.createDocument(briefing.id, state);
  } catch (err) {
    await withTransaction(context.store, async (tx) => {
      await deleteBriefing(tx, briefing.id);
      await recordAudit(context, user, {
        action: "briefing.delete",
        teamId,
        briefingId: briefing.id,
        target: briefing.title,
        details: { reason: "its starting body could not be stored" },
      }, tx);
    });
    context.logger.error("storing a new briefing's body failed; briefing removed", err, { briefingId: briefing.id, teamId });
    throw serviceUnavailable("The new briefing could not be stored. Please try again.");
  }
  await context.events.publish("briefingCreated", { briefingId: briefing.id });
  return briefing;
}

/**
 * The briefing in this team for copying (duplicate, template): 404 when it does not exist, is in
 * another team or the caller is no member (a copy must not reveal what it could not read), 403
 * when their role is below `min`.
 */
export async function requireTeamBriefing(context: AppLoadContext, teamId: string | undefined, briefingId: unknown, user: CurrentUser, min: Role): Promise<Briefing> {
  const id = typeof briefingId === "string" ? briefingId : "";
  if (!isValidId(id)) throw notFound("Briefing");
  const access = await getBriefingAccess(context.store, id, user.id);
  if (!access || access.briefing.teamId !== teamId) throw notFound("Briefing");
  if (!roleAtLeast(access.role, min)) throw forbidden(`This needs the ${min} role; you are ${access.role}.`);
  return access.briefing;
}

/**
 * A briefing's current body (the live room's, so edits not yet stored are included) re-encoded
 * into a new Yjs document: the copy has the content, blocks and their ids, but none of the
 * source's history (deleted text, client ids), and no comment anchors resolve into it.
 */
export async function freshCopyOfBody(context: AppLoadContext, briefingId: string): Promise<Uint8Array> {
  const collab = context.services.collab;
  if (!collab) throw serviceUnavailable("Briefing documents are not available right now.");
  const state = await readStoredDocument(() => collab.getState(briefingId));
  const source = serverDoc(briefingId);
  try {
    Y.applyUpdate(source, state);
    const json = yXmlFragmentToProsemirrorJSON(source.getXmlFragment(COLLAB_FIELD));
    const content = json.content?.length ? json : { type: "doc", content: [{ type: "paragraph" }] };
    const copy = prosemirrorJSONToYDoc(getBriefingSchema(), content, COLLAB_FIELD);
    const update = Y.encodeStateAsUpdate(copy);
    copy.destroy();
    return update;
  } finally {
    source.destroy();
  }
}

/** "Copy of …", kept within the title limit. */
export function copyTitle(title: string): string {
  const full = `Copy of ${title}`;
  return full.length <= TITLE_MAX ? full : `${full.slice(0, TITLE_MAX - 1)}…`;
}

/** A new draft in the same team with the briefing's details and body, fresh history, no comments. */
export async function duplicateBriefing(context: AppLoadContext, source: Briefing, user: AuditActor & { id: string }): Promise<Briefing> {
  const state = await freshCopyOfBody(context, source.id);
  const input: BriefingInput = {
    title: copyTitle(source.title),
    summitName: source.summitName,
    city: source.city,
    startDate: source.startDate,
    endDate: source.endDate,
    classification: source.classification,
  };
  return createBriefingWithBody(context, source.teamId, input, user, state, { from: "duplicate", source: source.id });
}
