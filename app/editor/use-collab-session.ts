import { useEffect, useState, useSyncExternalStore } from "react";
import { CollabSession, type CollabSnapshot } from "./collab-provider";
import type { SendLimits } from "./paced-sender";

const NO_SNAPSHOT: CollabSnapshot = {
  connection: "connecting",
  localLoaded: false,
  everSynced: false,
  ready: false,
  save: "connecting",
  unconfirmed: false,
  problem: null,
  downgradedToReadOnly: false,
};
const noopSubscribe = () => () => {};

/** One CollabSession per (briefing, user) for as long as the component is mounted. */
export function useCollabSession(briefingId: string, userId: string, limits: SendLimits, readOnly = false) {
  const [session, setSession] = useState<CollabSession | null>(null);
  useEffect(() => {
    const s = new CollabSession({ briefingId, userId, limits, readOnly });
    setSession(s);
    return () => {
      setSession(null);
      s.destroy();
    };
    // The limits are the server's configuration: they do not change while the page is open; later
    // read-only changes go through setReadOnly.
  }, [briefingId, userId]);
  const snapshot = useSyncExternalStore(
    session?.subscribe ?? noopSubscribe,
    session?.getSnapshot ?? (() => NO_SNAPSHOT),
    () => NO_SNAPSHOT,
  );
  return { session, snapshot };
}
