/**
 * Reads of one key (a briefing's status, a connection's access) that may overlap: only the read
 * started last may apply its answer. An awaited read is answered whenever the database answers it,
 * and on PostgreSQL two reads run on two pooled connections, so an answer read before a later change
 * can arrive after that change's own read; applied, it would put the older state back.
 */
export interface Read {
  /** True while no later read of the same key has started: this answer is the newest. */
  current(): boolean;
  /** The read is over (applied or discarded); idempotent. */
  end(): void;
}

interface InFlight {
  latest: number;
  running: number;
  idle: Promise<void>;
  resolve: () => void;
}

export class LatestReads<K> {
  private readonly inFlight = new Map<K, InFlight>();
  private tickets = 0;

  start(key: K): Read {
    let entry = this.inFlight.get(key);
    if (!entry) {
      let resolve!: () => void;
      const idle = new Promise<void>((r) => (resolve = r));
      entry = { latest: 0, running: 0, idle, resolve };
      this.inFlight.set(key, entry);
    }
    const ticket = ++this.tickets;
    const mine = entry;
    mine.latest = ticket;
    mine.running++;
    let ended = false;
    return {
      current: () => this.inFlight.get(key) === mine && mine.latest === ticket,
      end: () => {
        if (ended) return;
        ended = true;
        if (--mine.running > 0) return;
        if (this.inFlight.get(key) === mine) this.inFlight.delete(key);
        mine.resolve();
      },
    };
  }

  /** Resolves once no read of `key` is in flight (at once when none is). */
  async idle(key: K): Promise<void> {
    for (let entry = this.inFlight.get(key); entry; entry = this.inFlight.get(key)) await entry.idle;
  }
}
