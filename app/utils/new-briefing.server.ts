import type { AppLoadContext } from "@remix-run/node";
import type { Briefing } from "../../db/schema";
import type { CurrentUser } from "./auth.server";
import { BriefingDetailsSchema } from "./briefing-validation";
import { createBriefingWithBody, createBriefingWithTemplate, freshCopyOfBody } from "./briefings.server";
import { getBriefingAccess } from "../../db/queries/briefings";
import { getTeam } from "../../db/queries/teams";
import { teamLevels } from "./classification.server";
import { convertUploadedDocx, isImportError } from "./docx-import.server";
import { parseForm, type FieldErrors } from "./form";

/** What the New briefing form starts from: the starter body, a Word document or one of the team's templates (its id). */
export const START_BLANK = "blank";
export const START_WORD = "word";

export type NewBriefingResult = { briefing: Briefing } | { status: number; errors: FieldErrors };

/**
 * The New briefing form (caller has checked the editor role in the team): the details, then the
 * body from the chosen start. Nothing is stored until the body exists, so a refused Word document
 * or a withdrawn template leaves no briefing behind.
 */
export async function createNewBriefing(context: AppLoadContext, teamId: string, user: CurrentUser, form: FormData): Promise<NewBriefingResult> {
  // The minimum level must be one of this team's levels (ADR 0406); said together with the other fields' errors.
  const team = await getTeam(context.store, teamId);
  const levels = team ? teamLevels(team) : [];
  const typed = String(form.get("classification") ?? "").trim().toLocaleUpperCase("en");
  const level = levels.find((l) => l.name === typed);
  const parsed = parseForm(BriefingDetailsSchema, form);
  if (parsed.errors || !level) {
    const levelErrors = level ? {} : { classification: [`Choose a classification. The team's levels are ${levels.map((l) => l.name).join(", ")}.`] };
    return { status: 400, errors: { ...parsed.errors, ...levelErrors } };
  }
  parsed.data.classification = level.name;
  const start = String(form.get("start") ?? START_BLANK);
  let briefing: Briefing;
  if (start === START_BLANK) {
    briefing = await createBriefingWithTemplate(context, teamId, parsed.data, user);
  } else if (start === START_WORD) {
    let state: Uint8Array;
    try {
      state = await convertUploadedDocx(context, form.get("file"));
    } catch (err) {
      if (isImportError(err)) return { status: err.status, errors: { file: [err.message] } };
      throw err;
    }
    briefing = await createBriefingWithBody(context, teamId, parsed.data, user, state, { from: "word" });
  } else {
    const template = (await getBriefingAccess(context.store, start, user.id))?.briefing;
    if (!template || template.teamId !== teamId || !template.isTemplate) {
      return { status: 400, errors: { start: ["That template is not offered any more: choose another start."] } };
    }
    briefing = await createBriefingWithBody(context, teamId, parsed.data, user, await freshCopyOfBody(context, template.id), { from: "template", source: template.id });
  }
  // Listeners index the new title for search.
  await context.events.publish("briefingChanged", { briefingId: briefing.id });
  return { briefing };
}
