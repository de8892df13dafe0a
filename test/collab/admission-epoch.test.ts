import { describe, expect, it } from "vitest";
import { AdmissionCache } from "../../server/collab/admission-cache";
import type { SessionUser } from "../../db/queries/sessions";

const session = (sessionId: string): SessionUser => ({
  sessionId,
  expiresAt: new Date(Date.now() + 3_600_000),
  user: { id: "u1", email: "a@example.org", name: "A", color: "#1f77b4", passwordHash: "x", isDemo: false, createdAt: new Date() },
});

/**
 * The session lookup of an upgrade awaits the database, so a sign-out can be published while it
 * runs: what it found must then not be kept, or the next upgrade would be admitted from the cache.
 */
describe("admission cache and a revocation during the lookup", () => {
  it("does not keep a session looked up before a revocation", () => {
    const cache = new AdmissionCache(60_000);
    const epoch = cache.revocations;
    cache.forgetSession("s1"); // published while the lookup was awaited
    cache.rememberSession("sid=a", session("s1"), epoch);
    expect(cache.session("sid=a")).toBeUndefined();
  });

  it("keeps one looked up with no revocation meanwhile, and a later lookup after one", () => {
    const cache = new AdmissionCache(60_000);
    cache.rememberSession("sid=a", session("s1"), cache.revocations);
    expect(cache.session("sid=a")?.sessionId).toBe("s1");
    cache.forgetAll();
    expect(cache.session("sid=a")).toBeUndefined();
    cache.rememberSession("sid=a", session("s2"), cache.revocations);
    expect(cache.session("sid=a")?.sessionId).toBe("s2");
  });
});
