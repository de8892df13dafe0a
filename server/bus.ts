import type { EventEmitter } from "node:events";
import { createAppEvents, type AppEventMap } from "./events";
import { settleAll } from "./settle-all";

/** A topic of the application's bus and the payload it carries (the names of server/events.ts). */
export type AppTopic = keyof AppEventMap;
export type AppPayload<T extends AppTopic> = AppEventMap[T][0];

/**
 * Notifications between the HTTP side and the collaboration side (access changes that must reach
 * open sockets at once). Asynchronous and small so that a bus between several processes (Redis
 * pub/sub) is an added adapter, not a rewrite (docs/decisions/0106).
 */
export interface AppBus {
  /**
   * Delivers `payload` to every handler of `topic`. Resolves once this process's handlers ran and
   * the promises they returned settled; rejects with the first handler error after all of them
   * settled (a failing handler must not keep the others from closing a revoked session's sockets).
   */
  publish<T extends AppTopic>(topic: T, payload: AppPayload<T>): Promise<void>;
  /**
   * Registers a handler; returns the function that removes it. A handler that reads the database
   * returns its promise, so an awaited publish has applied the change in this process.
   */
  subscribe<T extends AppTopic>(topic: T, handler: (payload: AppPayload<T>) => void | Promise<void>): () => void;
}

/**
 * The bus inside one process, over the Node EventEmitter of server/events.ts. Every handler is
 * started synchronously inside publish, in the order they subscribed (so what a handler does before
 * its first await happens at once, as with a direct emit), and publish resolves once all of them
 * settled: an awaited publish has applied every change in this process (docs/decisions/0122).
 */
export function createInProcessBus(): AppBus {
  // Untyped inside: the typed methods of AppBus already tie each topic to its payload.
  const events: EventEmitter = createAppEvents();
  return {
    async publish(topic, payload) {
      const running = events.listeners(topic).map((handler) => {
        try {
          return Promise.resolve((handler as (p: unknown) => unknown)(payload));
        } catch (err) {
          return Promise.reject(err);
        }
      });
      await settleAll(running);
    },
    subscribe(topic, handler) {
      events.on(topic, handler);
      return () => void events.off(topic, handler);
    },
  };
}
