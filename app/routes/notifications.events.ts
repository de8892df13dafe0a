import type { LoaderFunctionArgs } from "@remix-run/node";
import { getCurrentSession, requireUser } from "../utils/auth.server";
import { notificationEventStream } from "../utils/notification-events.server";

/** GET /notifications/events: the live unread count for the top bar (see notification-events.server.ts). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  // The stream ends when this session is signed out or revoked.
  const session = await getCurrentSession(request, context);
  return notificationEventStream(context, request, user.id, session?.sessionId ?? null);
}
