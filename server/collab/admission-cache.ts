import type { Briefing } from "../../db/schema";
import type { SessionUser } from "../../db/queries/sessions";
import type { Role } from "../../db/enums";

/** Entries kept at most; past it the cache starts over (only admitted sockets fill it). */
const MAX_ENTRIES = 10_000;
/** Longer Cookie headers are looked up every time instead of being kept as keys. */
const MAX_KEY_LENGTH = 4096;

export interface CachedAccess {
  briefing: Briefing;
  role: Role;
}

interface Entry<T> {
  value: T;
  until: number;
}

/**
 * What an admitted socket upgrade looked up, kept for `ttlMs` (COLLAB_ADMISSION_CACHE_MS) so that a
 * burst of opens (a desk opening many briefings, a reconnect storm) does not verify the cookie's
 * signature and query the session and membership once per socket. Only successes are kept: a
 * refusal is looked up again each time, so a new member gets in at once.
 *
 * Correctness comes first: the collab layer calls `forgetSession` on `sessionRevoked` and
 * `forgetAccess` on `membershipChanged`, `briefingChanged` and `briefingDeleted`, in the same
 * synchronous publish that closes the open sockets, so a signed-out session or a removed member is
 * refused by the very next upgrade. A session entry also ends when the session expires.
 */
export class AdmissionCache {
  private sessions = new Map<string, Entry<SessionUser>>();
  private access = new Map<string, Entry<CachedAccess>>();
  /** Counts forgetSession/forgetAll calls: a lookup that began before one must not be kept. */
  revocations = 0;
  /** Counts forgetAccess/forgetAll calls: an access lookup that began before one must not be kept. */
  accessChanges = 0;

  constructor(
    private readonly ttlMs: number,
    /** Told of each reuse (the layer counts them in summit_collab_admission_cache_hits_total). */
    private readonly onHit: (kind: "session" | "access") => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  /** The session a Cookie header was admitted with within the last ttlMs, if still valid. */
  session(cookieHeader: string | undefined): SessionUser | undefined {
    if (!this.enabled || !cookieHeader) return undefined;
    const hit = this.fresh(this.sessions, cookieHeader);
    if (hit) this.onHit("session");
    return hit;
  }

  /** `epoch`: `revocations` when the lookup began; a revocation since then means it is not kept. */
  rememberSession(cookieHeader: string | undefined, session: SessionUser, epoch = this.revocations): void {
    if (!this.enabled || !cookieHeader || cookieHeader.length > MAX_KEY_LENGTH || epoch !== this.revocations) return;
    const until = Math.min(this.now() + this.ttlMs, session.expiresAt.getTime());
    this.put(this.sessions, cookieHeader, { value: session, until });
  }

  briefingAccess(briefingId: string, userId: string): CachedAccess | undefined {
    if (!this.enabled) return undefined;
    const hit = this.fresh(this.access, `${briefingId}\u0000${userId}`);
    if (hit) this.onHit("access");
    return hit;
  }

  /** `epoch`: `accessChanges` when the lookup began; a change since then means it is not kept. */
  rememberAccess(briefingId: string, userId: string, access: CachedAccess, epoch = this.accessChanges): void {
    if (!this.enabled || epoch !== this.accessChanges) return;
    this.put(this.access, `${briefingId}\u0000${userId}`, { value: access, until: this.now() + this.ttlMs });
  }

  /** A session was signed out or revoked. */
  forgetSession(sessionId: string): void {
    this.revocations++;
    for (const [key, entry] of this.sessions) if (entry.value.sessionId === sessionId) this.sessions.delete(key);
  }

  /**
   * A role, a membership, a briefing's status or its existence changed. These are rare next to
   * opens, so every kept membership goes rather than working out which ones the change touched.
   */
  forgetAccess(): void {
    this.accessChanges++;
    this.access.clear();
  }

  /** The bus may have lost messages (it reconnected): nothing kept can be trusted any more. */
  forgetAll(): void {
    this.revocations++;
    this.accessChanges++;
    this.sessions.clear();
    this.access.clear();
  }

  get size(): number {
    return this.sessions.size + this.access.size;
  }

  private fresh<T>(map: Map<string, Entry<T>>, key: string): T | undefined {
    const entry = map.get(key);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      map.delete(key);
      return undefined;
    }
    return entry.value;
  }

  private put<T>(map: Map<string, Entry<T>>, key: string, entry: Entry<T>): void {
    if (map.size >= MAX_ENTRIES) map.clear();
    map.set(key, entry);
  }
}
