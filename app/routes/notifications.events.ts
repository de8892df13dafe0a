import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "../utils/auth.server";
import { notificationEventStream } from "../utils/notification-events.server";

/** GET /notifications/events: the live unread count for the top bar (see notification-events.server.ts). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return notificationEventStream(context, request, user.id);
}
