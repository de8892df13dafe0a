import type { EventEmitter } from "node:events";
import { createAppEvents, type AppEventMap } from "./events";

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
   * Delivers `payload` to every handler of `topic`. Resolves once this process's handlers ran;
   * rejects with the first handler error after all of them ran (a failing handler must not keep
   * the others from closing a revoked session's sockets).
   */
  publish<T extends AppTopic>(topic: T, payload: AppPayload<T>): Promise<void>;
  /** Registers a handler; returns the function that removes it. */
  subscribe<T extends AppTopic>(topic: T, handler: (payload: AppPayload<T>) => void): () => void;
}

/**
 * The bus inside one process, over the Node EventEmitter of server/events.ts. Handlers run
 * synchronously inside publish, so an awaited publish has applied every change in this process,
 * as the direct emit it replaces did.
 */
export function createInProcessBus(): AppBus {
  // Untyped inside: the typed methods of AppBus already tie each topic to its payload.
  const events: EventEmitter = createAppEvents();
  return {
    async publish(topic, payload) {
      const errors: unknown[] = [];
      for (const handler of events.listeners(topic)) {
        try {
          handler(payload);
        } catch (err) {
          errors.push(err);
        }
      }
      if (errors.length > 0) throw errors[0];
    },
    subscribe(topic, handler) {
      events.on(topic, handler);
      return () => void events.off(topic, handler);
    },
  };
}
