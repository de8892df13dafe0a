import { json, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireUser } from "../utils/auth.server";
import { requireBriefingRole } from "../utils/permissions.server";
import { decisionForm, recordDecision } from "../utils/review-decision.server";

/**
 * POST /briefings/:briefingId/review with `section` ("brief" or an agenda topic's block id),
 * `decision` (approved | changes_requested) and `note`. 200 once recorded; 400 for a bad form or
 * an unknown topic; 403 for anyone not named as an approver (and for viewers and non-members);
 * 409 when the briefing is not in review.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const access = await requireBriefingRole(context, params.briefingId, user, "commenter");
  const parsed = decisionForm(context.config.REVIEW_NOTE_MAX_CHARS).safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ ok: false as const, error: parsed.error.issues[0].message }, { status: 400 });
  const result = await recordDecision(context, access, user, parsed.data);
  return json(result, { status: result.ok ? 200 : result.status });
}

export function loader({ params }: { params: { briefingId?: string } }) {
  return redirect(`/briefings/${params.briefingId ?? ""}`);
}
