import type { AppLoadContext } from "@remix-run/node";
import { prosemirrorJSONToYDoc, yXmlFragmentToProsemirrorJSON } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { buildTemplateDocument } from "../../db/briefing-template";
import { createBriefing, getBriefingAccess, type BriefingInput } from "../../db/queries/briefings";
import { insertInitialSnapshot } from "../../db/queries/documents";
import { isValidId } from "../../db/ids";
import type { Db } from "../../db/client";
import type { Briefing, Role } from "../../db/schema";
import { COLLAB_FIELD, getBriefingSchema } from "../../extensions";
import type { CurrentUser } from "./auth.server";
import { TITLE_MAX } from "./briefing-validation";
import { forbidden, notFound, serviceUnavailable } from "./errors";
import { roleAtLeast } from "./roles";
import { readStoredDocument } from "./stored-document.server";

/** Creates a briefing with its starting body in one transaction. */
export function createBriefingWithTemplate(context: AppLoadContext, teamId: string, input: BriefingInput, userId: string) {
  return createBriefingWithState(context, teamId, input, userId, buildTemplateDocument(input.summitName));
}

/**
 * Creates a briefing whose first body is `state` (a Yjs update), the row and the snapshot in one
 * transaction: a briefing never exists without its body.
 */
export function createBriefingWithState(context: AppLoadContext, teamId: string, input: BriefingInput, userId: string, state: Uint8Array): Briefing {
  return context.db.transaction((tx) => {
    const briefing = createBriefing(tx as unknown as Db, teamId, input, userId);
    insertInitialSnapshot(tx as unknown as Db, briefing.id, state);
    return briefing;
  });
}

/**
 * The briefing in this team for copying (duplicate, template): 404 when it does not exist, is in
 * another team or the caller is no member (a copy must not reveal what it could not read), 403
 * when their role is below `min`.
 */
export function requireTeamBriefing(context: AppLoadContext, teamId: string | undefined, briefingId: unknown, user: CurrentUser, min: Role): Briefing {
  const id = typeof briefingId === "string" ? briefingId : "";
  if (!isValidId(id)) throw notFound("Briefing");
  const access = getBriefingAccess(context.db, id, user.id);
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
  const source = new Y.Doc();
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
export async function duplicateBriefing(context: AppLoadContext, source: Briefing, userId: string): Promise<Briefing> {
  const state = await freshCopyOfBody(context, source.id);
  const input: BriefingInput = {
    title: copyTitle(source.title),
    summitName: source.summitName,
    city: source.city,
    startDate: source.startDate,
    endDate: source.endDate,
    classification: source.classification,
  };
  return createBriefingWithState(context, source.teamId, input, userId, state);
}
