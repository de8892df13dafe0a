import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { commentsPayload, createThreadAction, requireCommentsAccess } from "../utils/comments.server";

/**
 * GET /briefings/:briefingId/comments: every thread (with detached state), the team members for
 * mentions and what the caller may do. Any member may read.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const access = await requireCommentsAccess(request, context, params.briefingId);
  return json(await commentsPayload(context, access), { headers: { "Cache-Control": "private, no-store" } });
}

/** POST /briefings/:briefingId/comments with anchorStart, anchorEnd (base64 relative positions) and body. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const access = await requireCommentsAccess(request, context, params.briefingId);
  if (request.method !== "POST") return new Response("Use POST.", { status: 405, headers: { Allow: "GET, POST" } });
  return createThreadAction(context, access, await request.formData());
}
