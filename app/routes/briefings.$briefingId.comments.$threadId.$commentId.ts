import type { ActionFunctionArgs } from "@remix-run/node";
import { commentAction, requireCommentsAccess } from "../utils/comments.server";

/** POST /briefings/:briefingId/comments/:threadId/:commentId with intent=edit (and body) or delete. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const access = await requireCommentsAccess(request, context, params.briefingId);
  if (request.method !== "POST") return new Response("Use POST.", { status: 405, headers: { Allow: "POST" } });
  return commentAction(context, access, params.threadId, params.commentId, await request.formData());
}

export function loader() {
  return new Response("Use POST.", { status: 405, headers: { Allow: "POST" } });
}
