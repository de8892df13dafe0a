import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { requireCommentsAccess, threadAction, threadViewFor } from "../utils/comments.server";

/** GET /briefings/:briefingId/comments/:threadId: one thread as JSON. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const access = await requireCommentsAccess(request, context, params.briefingId);
  return json({ thread: await threadViewFor(context, access, params.threadId) }, { headers: { "Cache-Control": "private, no-store" } });
}

/** POST /briefings/:briefingId/comments/:threadId with intent=reply (and body), resolve, reopen or reanchor (and anchorStart, anchorEnd). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const access = await requireCommentsAccess(request, context, params.briefingId);
  if (request.method !== "POST") return new Response("Use POST.", { status: 405, headers: { Allow: "GET, POST" } });
  return threadAction(context, access, params.threadId, await request.formData());
}
