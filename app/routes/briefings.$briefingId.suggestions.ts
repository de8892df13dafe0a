import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { requireCommentsAccess } from "../utils/comments.server";
import { suggestionsAction, suggestionsPayload } from "../utils/suggestions.server";

/** GET /briefings/:briefingId/suggestions: every suggested edit (with outdated state) and what the caller may do. Any member may read. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const access = await requireCommentsAccess(request, context, params.briefingId);
  return json(await suggestionsPayload(context, access), { headers: { "Cache-Control": "private, no-store" } });
}

/** POST /briefings/:briefingId/suggestions with intent=suggest (kind, anchorStart, anchorEnd, replacement), or acceptAll / rejectAll (authorId). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const access = await requireCommentsAccess(request, context, params.briefingId);
  if (request.method !== "POST") return new Response("Use POST.", { status: 405, headers: { Allow: "GET, POST" } });
  return suggestionsAction(context, access, await request.formData());
}
