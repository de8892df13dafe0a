import { json, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { BRIEFING_STATUSES } from "../../db/enums";
import { requireUser } from "../utils/auth.server";
import { requireBriefingRole } from "../utils/permissions.server";
import { changeBriefingStatus } from "../utils/status.server";

const StatusForm = z.object({ to: z.enum(BRIEFING_STATUSES, { message: "Choose draft, in_review or final." }) });

/**
 * POST /briefings/:briefingId/status with `to=in_review|final|draft`. 200 with the new status (and
 * the version number after finalizing), 400 for a transition the workflow does not allow, 403 for
 * a role that may not make it.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const access = requireBriefingRole(context, params.briefingId, user);
  const parsed = StatusForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ ok: false as const, error: parsed.error.issues[0].message }, { status: 400 });
  const result = await changeBriefingStatus(context, access, user, parsed.data.to);
  return json(result, { status: result.ok ? 200 : 400 });
}

export function loader({ params }: { params: { briefingId?: string } }) {
  return redirect(`/briefings/${params.briefingId ?? ""}`);
}
