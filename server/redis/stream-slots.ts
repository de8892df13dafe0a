import { createConnectionLedger, type ClusterSlot, type ConnectionLedgerOptions } from "./connection-ledger";

/** The Server-Sent Events streams a user holds open, each kind capped on its own. */
export type StreamKind = "notification" | "comment";

/**
 * Open event streams counted across instances (docs/decisions/0123): the same leases as the
 * collaboration sockets (connection-ledger.ts, ADR 0113) under keys of their own, so a stream
 * closed gives its slot back at once and a killed instance's streams stop counting
 * REDIS_INSTANCE_TIMEOUT_MS after its last renewal.
 */
export interface StreamSlots {
  /** A slot for one more `kind` stream of `userId` over all instances, or null when the user is at the cap. */
  take(kind: StreamKind, userId: string): Promise<ClusterSlot | null>;
  close(): Promise<void>;
}

/** The ledger's second dimension is unused for streams: no cap there. */
const NO_CAP = Number.MAX_SAFE_INTEGER;

/** A ledger of streams under `<keyPrefix>streams:`, apart from the sockets' counts. */
export function createStreamSlots(opts: Omit<ConnectionLedgerOptions, "maxPerBriefing">): StreamSlots {
  const ledger = createConnectionLedger({ ...opts, keyPrefix: `${opts.keyPrefix}streams:`, maxPerBriefing: NO_CAP });
  return {
    async take(kind, userId) {
      const r = await ledger.admit(`${kind}:${userId}`, kind);
      return r.ok ? r.slot : null;
    },
    close: () => ledger.close(),
  };
}
