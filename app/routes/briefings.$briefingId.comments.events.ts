import type { LoaderFunctionArgs } from "@remix-run/node";
import { commentEventStream } from "../utils/comment-events.server";
import { requireCommentsAccess } from "../utils/comments.server";

/**
 * GET /briefings/:briefingId/comments/events: Server-Sent Events with every comment change on the
 * briefing, for members who may read it (the same check as the list).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const access = await requireCommentsAccess(request, context, params.briefingId);
  return commentEventStream(context, request, {
    briefingId: access.briefing.id,
    teamId: access.briefing.teamId,
    userId: access.user.id,
    sessionId: access.sessionId,
  });
}
