import type { Db } from "../../db/client";
import { deleteExpiredSessions } from "../../db/queries/sessions";
import type { Logger } from "../logger";

/**
 * Deletes expired session rows once now and then every `intervalMs`. Expired sessions already
 * sign nobody in (the lookup checks the expiry); purging keeps the table from growing for ever
 * and drops token hashes nobody needs. The timer is unref'd so it never holds the process open.
 */
export function startSessionPurge(db: Db, logger: Logger, intervalMs: number): { stop(): void } {
  const purge = () => {
    try {
      const removed = deleteExpiredSessions(db);
      if (removed > 0) logger.info("auth", "expired sessions purged", { removed });
    } catch (err) {
      // A busy or failing database must not stop the server; the next tick tries again.
      logger.error("session purge failed", err);
    }
  };
  purge();
  const timer = setInterval(purge, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
