import { json, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireUser } from "../utils/auth.server";
import { createNewBriefing } from "../utils/new-briefing.server";
import { requireTeamRole } from "../utils/permissions.server";

/**
 * POST of the New briefing form (multipart: it may carry a Word document, so this path has the
 * larger body limit, server/import/paths.ts). Field errors come back as JSON for the form.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { team } = await requireTeamRole(context, params.teamId, user, "editor");
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return json({ intent: "create", errors: { file: ["The form could not be read: choose the file again and resend."] } }, { status: 400 });
  }
  const result = await createNewBriefing(context, team.id, user, form);
  if ("errors" in result) return json({ intent: "create", errors: result.errors }, { status: result.status });
  return redirect(`/briefings/${result.briefing.id}`);
}

export function loader() {
  throw new Response("Use the New briefing form on the team's briefings page.", { status: 405 });
}
