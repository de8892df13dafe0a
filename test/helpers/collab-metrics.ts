import type { CollabMetrics } from "../../server/collab/collab-metrics";

/** A CollabMetrics that keeps every report, for tests that inject it into the collab code. */
export function recordingMetrics() {
  const counts = {
    roomLoaded: 0,
    updateReceived: 0,
    updatesStored: 0,
    storeFailed: 0,
    compacted: 0,
    fanoutFailed: 0,
    fanoutCaughtUp: 0,
    rejected: new Map<string, number>(),
    closed: new Map<number, number>(),
    upgradeRefused: new Map<number, number>(),
  };
  const bump = <K>(map: Map<K, number>, key: K, n = 1) => map.set(key, (map.get(key) ?? 0) + n);
  const metrics: CollabMetrics = {
    roomLoaded: () => void counts.roomLoaded++,
    updateReceived: () => void counts.updateReceived++,
    updatesStored: (n) => void (counts.updatesStored += n),
    storeFailed: () => void counts.storeFailed++,
    compacted: () => void counts.compacted++,
    fanoutFailed: () => void counts.fanoutFailed++,
    fanoutCaughtUp: () => void counts.fanoutCaughtUp++,
    rejected: (reason, n = 1) => void bump(counts.rejected, reason, n),
    closed: (code) => void bump(counts.closed, code),
    upgradeRefused: (status) => void bump(counts.upgradeRefused, status),
  };
  return { metrics, counts };
}
