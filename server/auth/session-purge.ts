import type { Store } from "../../db/store";
import { deleteExpiredSessions } from "../../db/queries/sessions";
import type { Logger } from "../logger";

/**
 * Deletes expired session rows once now and then every `intervalMs`. Expired sessions already
 * sign nobody in (the lookup checks the expiry); purging keeps the table from growing for ever
 * and drops token hashes nobody needs. The timer is unref'd so it never holds the process open.
 */
export function startSessionPurge(store: Store, logger: Logger, intervalMs: number): { stop(): void } {
  const purge = async () => {
    try {
      const removed = await deleteExpiredSessions(store);
      if (removed > 0) logger.info("auth", "expired sessions purged", { removed });
    } catch (err) {
      // A busy or failing database must not stop the server; the next tick tries again.
      logger.error("session purge failed", err);
    }
  };
  void purge();
  const timer = setInterval(() => void purge(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
