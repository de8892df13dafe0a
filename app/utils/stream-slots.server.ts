import type { AppLoadContext } from "@remix-run/node";
import type { ClusterSlot } from "../../server/redis/connection-ledger";
import type { StreamKind } from "../../server/redis/stream-slots";

export type StreamAdmission = { ok: true; slot: ClusterSlot | null } | { ok: false; response: Response };

function tooMany(kind: StreamKind, cap: number, where: string): Response {
  return new Response(`Too many open ${kind} streams for this user (at most ${cap}${where}).`, {
    status: 429,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "30" },
  });
}

/**
 * Admits one more `kind` event stream of `userId`, capped like the collaboration sockets
 * (COLLAB_MAX_CONNECTIONS_PER_USER) since each holds a connection open: on this server first
 * (`openHere` of them are open here), then, with REDIS_URL, over all servers (docs/decisions/0123).
 * A refusal is a 429 saying which. The caller gives the slot back when the stream ends.
 */
export async function admitStream(context: AppLoadContext, kind: StreamKind, userId: string, openHere: number): Promise<StreamAdmission> {
  const cap = context.config.COLLAB_MAX_CONNECTIONS_PER_USER;
  if (openHere >= cap) return { ok: false, response: tooMany(kind, cap, "") };
  const slots = context.services.streamSlots;
  if (!slots) return { ok: true, slot: null };
  const slot = await slots.take(kind, userId);
  if (!slot) return { ok: false, response: tooMany(kind, cap, " over all servers") };
  return { ok: true, slot };
}
