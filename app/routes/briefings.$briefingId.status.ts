import { json, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { BRIEFING_STATUSES } from "../../db/enums";
import { requireUser } from "../utils/auth.server";
import { requireBriefingRole } from "../utils/permissions.server";
import { changeBriefingStatus } from "../utils/status.server";

const statusForm = (reasonMax: number) => z.object({
  to: z.enum(BRIEFING_STATUSES, { message: "Choose draft, in_review or final." }),
  approvers: z.array(z.string().max(64)).max(100, "Name at most 100 approvers.").default([]),
  due: z
    .string()
    .regex(/^(\d{4}-\d{2}-\d{2})?$/, "Give the due date as YYYY-MM-DD.")
    .refine((d) => d === "" || !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), "The due date is not a date.")
    .default(""),
  override: z.string().max(reasonMax, `An override reason has at most ${reasonMax} characters.`).default(""),
});

/**
 * POST /briefings/:briefingId/status with `to=in_review|final|draft`. Sending for review names the
 * approvers (`approvers`, repeated) and an optional `due` date; an owner may finalize without every
 * approval with a written `override` reason. 200 with the new status (and the version number after
 * finalizing), 400 for a transition the workflow does not allow or a bad form, 403 for a role that
 * may not make it, 409 listing the missing approvals.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const access = await requireBriefingRole(context, params.briefingId, user);
  const form = await request.formData();
  const parsed = statusForm(context.config.REVIEW_NOTE_MAX_CHARS).safeParse({ ...Object.fromEntries(form), approvers: form.getAll("approvers") });
  if (!parsed.success) return json({ ok: false as const, error: parsed.error.issues[0].message }, { status: 400 });
  const { to, approvers, due, override } = parsed.data;
  const result = await changeBriefingStatus(context, access, user, to, { approvers, dueDate: due || null, overrideReason: override });
  return json(result, { status: result.ok ? 200 : (result.code ?? 400) });
}

export function loader({ params }: { params: { briefingId?: string } }) {
  return redirect(`/briefings/${params.briefingId ?? ""}`);
}
