import { json, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getTeam } from "../../db/queries/teams";
import { requireUser } from "../utils/auth.server";
import { reclassifyBriefing } from "../utils/classification.server";
import { notFound } from "../utils/errors";
import { requireBriefingRole } from "../utils/permissions.server";

/**
 * POST /briefings/:briefingId/reclassify with `to=<level name>` and `reason=<text>`: owners change
 * the brief's minimum level, also once it is final. 200 with the marking version, 400 for an
 * unknown level or a missing reason, 403 for anyone but an owner.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { briefing } = await requireBriefingRole(context, params.briefingId, user, "owner");
  const team = await getTeam(context.store, briefing.teamId);
  if (!team) throw notFound("Team");
  const form = await request.formData();
  const marking = await reclassifyBriefing(context, { briefing, team, actor: user, to: form.get("to"), reason: form.get("reason") });
  context.logger.info("briefing", "reclassified", { briefingId: briefing.id, from: marking.fromLevel, to: marking.toLevel, version: marking.version });
  // The briefing row changed: the same notice as a details change.
  await context.events.publish("briefingChanged", { briefingId: briefing.id });
  return json({ ok: true as const, version: marking.version, from: marking.fromLevel, to: marking.toLevel });
}

export function loader({ params }: { params: { briefingId?: string } }) {
  return redirect(`/briefings/${params.briefingId ?? ""}`);
}
