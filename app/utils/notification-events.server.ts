import type { AppLoadContext } from "@remix-run/node";
import { unreadCount } from "./notifications.server";
import { admitStream } from "./stream-slots.server";

const HEARTBEAT_MS = 25_000;
/** Open streams per user, per server: keyed by the server's bus, which every context of one server shares on either database. */
const open = new WeakMap<object, Map<string, number>>();

/**
 * GET /notifications/events: Server-Sent Events with the signed-in user's unread count, sent at
 * once and again whenever one of their notifications is added or read. Capped per user like the
 * collaboration sockets (COLLAB_MAX_CONNECTIONS_PER_USER), since each holds a connection open: on
 * this server, and with REDIS_URL over all of them (stream-slots.server.ts).
 */
export async function notificationEventStream(context: AppLoadContext, request: Request, userId: string, sessionId: string | null): Promise<Response> {
  let counts = open.get(context.events);
  if (!counts) open.set(context.events, (counts = new Map()));
  const perUser = counts;
  const admission = await admitStream(context, "notification", userId, perUser.get(userId) ?? 0);
  if (!admission.ok) return admission.response;
  const { slot } = admission;
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let live = true;
      perUser.set(userId, (perUser.get(userId) ?? 0) + 1);
      const write = (chunk: string) => {
        if (!live) return;
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          cleanup();
        }
      };
      // Counts are read one after another, so a slower read never overwrites a newer count.
      let sending = Promise.resolve();
      const send = () => {
        sending = sending
          .then(async () => write(`data: ${JSON.stringify({ unread: await unreadCount(context.store, userId) })}\n\n`))
          .catch((err: unknown) => context.logger.error("notifications: reading the unread count failed", err, { userId }));
      };
      const heartbeat = setInterval(() => write(": ping\n\n"), HEARTBEAT_MS);
      // From the bus: the change may have been made through another instance.
      const off = context.events.subscribe("notificationsChanged", (e) => {
        if (e.userId === userId) send();
      });
      const offRevoked = context.events.subscribe("sessionRevoked", (e) => {
        if (e.sessionId === sessionId) cleanup();
      });
      cleanup = () => {
        if (!live) return;
        live = false;
        clearInterval(heartbeat);
        off();
        offRevoked();
        perUser.set(userId, (perUser.get(userId) ?? 1) - 1);
        slot?.release();
        request.signal.removeEventListener("abort", cleanup);
        try {
          controller.close();
        } catch {
          // already closed by the reader going away
        }
      };
      // The reader may have gone while the slot was taken.
      if (request.signal.aborted) return cleanup();
      request.signal.addEventListener("abort", cleanup);
      write("retry: 3000\n");
      send();
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store", Connection: "keep-alive", "X-Accel-Buffering": "no" },
  });
}
