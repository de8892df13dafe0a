import type { AppLoadContext } from "@remix-run/node";
import type { Role } from "../../db/schema";
import type { AppBus } from "../../server/bus";
import type { CommentEvent } from "../comments/types";
import { admitStream } from "./stream-slots.server";

/**
 * The live channel for comments (docs/decisions/0501): an in-process hub per server fans each
 * change out to the Server-Sent Events streams open on that briefing. Streams close at once when
 * their user leaves the team, their session is revoked or the briefing is deleted.
 */

const HEARTBEAT_MS = 25_000;

interface Subscriber {
  briefingId: string;
  teamId: string;
  userId: string;
  sessionId: string;
  send(event: CommentEvent): void;
  close(): void;
  /** Ends the stream without `revoked`: the browser reconnects, is checked again and refetches. */
  end(): void;
}

class CommentHub {
  private readonly byBriefing = new Map<string, Set<Subscriber>>();

  constructor(events: AppBus) {
    // One listener per event for the whole hub, however many streams are open.
    events.subscribe("membershipChanged", ({ teamId, userId, role }) => {
      for (const s of this.all()) {
        if (s.teamId !== teamId || s.userId !== userId) continue;
        if (role === null) s.close();
        else s.send({ type: "access", role: role as Role });
      }
    });
    events.subscribe("sessionRevoked", ({ sessionId }) => {
      for (const s of this.all()) if (s.sessionId === sessionId) s.close();
    });
    // Open pages show review decisions, and approvals an edit reset, at once.
    events.subscribe("reviewChanged", ({ briefingId, byName }) => this.publish(briefingId, { type: "review", byName }));
    events.subscribe("briefingDeleted", ({ briefingId }) => {
      for (const s of Array.from(this.byBriefing.get(briefingId) ?? [])) s.close();
    });
    // Every instance's writes come through the bus (docs/decisions/0109), this one's included.
    events.subscribe("commentEvent", ({ briefingId, event }) => this.publish(briefingId, event));
    // Events from other instances may have been missed: each stream reopens, which re-checks its
    // access and refetches the list, so nothing missed stays missing.
    events.subscribe("resync", () => {
      for (const s of this.all()) s.end();
    });
  }

  private all(): Subscriber[] {
    return Array.from(this.byBriefing.values()).flatMap((set) => Array.from(set));
  }

  add(s: Subscriber): () => void {
    let set = this.byBriefing.get(s.briefingId);
    if (!set) this.byBriefing.set(s.briefingId, (set = new Set()));
    set.add(s);
    return () => {
      set.delete(s);
      if (set.size === 0 && this.byBriefing.get(s.briefingId) === set) this.byBriefing.delete(s.briefingId);
    };
  }

  publish(briefingId: string, event: CommentEvent): void {
    for (const s of Array.from(this.byBriefing.get(briefingId) ?? [])) s.send(event);
  }

  count(): number {
    return this.all().length;
  }

  countFor(userId: string): number {
    return this.all().filter((s) => s.userId === userId).length;
  }
}

// Keyed by the server's event bus, so each server (and each test server) has its own hub.
const hubs = new WeakMap<AppBus, CommentHub>();

function hubFor(context: AppLoadContext): CommentHub {
  let hub = hubs.get(context.events);
  if (!hub) hubs.set(context.events, (hub = new CommentHub(context.events)));
  return hub;
}

export function publishCommentEvent(context: AppLoadContext, briefingId: string, event: CommentEvent): void {
  hubFor(context); // subscribed before the first event, so this instance's own streams get it
  // The in-process bus delivers inside publish, so local streams have the event when this returns.
  context.events.publish("commentEvent", { briefingId, event }).catch((err: unknown) =>
    context.logger.error("comment event delivery failed", err, { briefingId }),
  );
}

/** Open comment streams on this server (for tests and diagnostics). */
export function commentStreamCount(context: AppLoadContext): number {
  return hubFor(context).count();
}

/**
 * A `text/event-stream` response for one subscriber, already checked for read access. Each
 * change is a `message` event whose data is a CommentEvent; `revoked` tells the client it may no
 * longer read (the stream then ends and the browser's reconnect gets a 401/403).
 */
export async function commentEventStream(
  context: AppLoadContext,
  request: Request,
  who: { briefingId: string; teamId: string; userId: string; sessionId: string },
): Promise<Response> {
  // The same per-user cap as collaboration sockets (each stream holds a connection open), over all servers with REDIS_URL.
  const admission = await admitStream(context, "comment", who.userId, hubFor(context).countFor(who.userId));
  if (!admission.ok) return admission.response;
  const { slot } = admission;
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const write = (chunk: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          cleanup();
        }
      };
      const heartbeat = setInterval(() => write(": ping\n\n"), HEARTBEAT_MS);
      const remove = hubFor(context).add({
        ...who,
        send: (event) => write(`data: ${JSON.stringify(event)}\n\n`),
        close: () => {
          write("event: revoked\ndata: {}\n\n");
          cleanup();
        },
        end: () => cleanup(),
      });
      cleanup = () => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        remove();
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
      // The first bytes flush the headers, so the browser's EventSource reports "open" at once.
      write("retry: 3000\n: connected\n\n");
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
