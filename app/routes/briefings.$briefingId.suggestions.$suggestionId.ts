import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { requireCommentsAccess } from "../utils/comments.server";
import { suggestionAction } from "../utils/suggestion-intents.server";
import { suggestionViewFor } from "../utils/suggestions.server";

/** GET /briefings/:briefingId/suggestions/:suggestionId: one suggestion as JSON. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const access = await requireCommentsAccess(request, context, params.briefingId);
  return json({ suggestion: await suggestionViewFor(context, access, params.suggestionId) }, { headers: { "Cache-Control": "private, no-store" } });
}

/** POST /briefings/:briefingId/suggestions/:suggestionId with intent=accept, reject or reply (and body). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const access = await requireCommentsAccess(request, context, params.briefingId);
  if (request.method !== "POST") return new Response("Use POST.", { status: 405, headers: { Allow: "GET, POST" } });
  return suggestionAction(context, access, params.suggestionId, await request.formData());
}
