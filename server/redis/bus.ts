import { randomUUID } from "node:crypto";
import { createInProcessBus, type AppBus, type AppTopic } from "../bus";
import type { Logger } from "../logger";
import { closeRedis, openRedis } from "./clients";

/**
 * The application bus across server instances (docs/decisions/0109): access changes, sign-outs,
 * status changes, deletions and live comment events published on any instance reach the handlers
 * of every instance.
 *
 * Handlers of this instance run inside `publish`, as with the in-process bus, so an awaited publish
 * has applied the change here; the message then goes to the others over one pub/sub channel (one,
 * so that a briefing's "deleted" comment event still arrives before the deletion closes the
 * stream). Pub/sub drops what is published while a subscriber is disconnected, so a subscriber that
 * reconnects publishes `resync` locally: every open socket and stream re-reads its session and
 * access from the database, which is the truth the lost messages only announced.
 */

export interface RedisBusOptions {
  url: string;
  keyPrefix: string;
  logger: Logger;
}

export interface RedisBus extends AppBus {
  close(): Promise<void>;
}

/** Topics another instance may send; anything else on the channel is ignored. */
const REMOTE_TOPICS = new Set<AppTopic>(["membershipChanged", "sessionRevoked", "briefingChanged", "briefingDeleted", "briefingCreated", "commentEvent", "reviewChanged", "notificationsChanged"]);

interface Envelope {
  o: string;
  topic: AppTopic;
  payload: unknown;
}

export function createRedisBus(opts: RedisBusOptions): RedisBus {
  const { logger } = opts;
  // Tells this instance's own messages apart when they come back from the channel.
  const instanceId = randomUUID();
  const local = createInProcessBus();
  const channel = `${opts.keyPrefix}bus`;
  const commands = openRedis(opts.url, "commands", logger);
  const subscriber = openRedis(opts.url, "bus", logger);
  let subscribed = false;
  let closed = false;

  const deliverLocally = (topic: AppTopic, payload: unknown, from: string) =>
    // Typed per topic by the publisher; a handler error is logged here (the publisher is elsewhere).
    (local.publish as (t: AppTopic, p: unknown) => Promise<void>)(topic, payload).catch((err: unknown) =>
      logger.error("bus handler failed", err, { topic, from }),
    );

  subscriber.on("message", (_channel: string, raw: string) => {
    let message: Envelope;
    try {
      message = JSON.parse(raw) as Envelope;
    } catch {
      return logger.warn("redis", "bus message is not JSON; ignored", { bytes: raw.length });
    }
    if (message.o === instanceId || !REMOTE_TOPICS.has(message.topic)) return;
    void deliverLocally(message.topic, message.payload, message.o);
  });
  subscriber.on("ready", () => {
    if (closed) return;
    // ioredis subscribes again by itself after a reconnect; the first ready is the start.
    if (subscribed) void deliverLocally("resync", { reason: "bus reconnected" }, instanceId);
    subscribed = true;
  });
  void subscriber.subscribe(channel).catch((err: unknown) => logger.error("bus subscribe failed", err, { channel }));

  return {
    async publish(topic, payload) {
      // Local handlers first and synchronously (closing a revoked session's sockets here must not
      // wait for Redis), then the other instances.
      const here = local.publish(topic, payload);
      const message = JSON.stringify({ o: instanceId, topic, payload } satisfies Envelope);
      const sent = commands.publish(channel, message).then(
        () => {},
        (err: unknown) => logger.error("bus publish failed", err, { topic }),
      );
      // While Redis is unreachable the message waits in the client's queue; the request does not.
      if (commands.status === "ready") await sent;
      await here;
    },
    subscribe: (topic, handler) => local.subscribe(topic, handler),
    async close() {
      closed = true;
      await Promise.all([closeRedis(subscriber), closeRedis(commands)]);
    },
  };
}
