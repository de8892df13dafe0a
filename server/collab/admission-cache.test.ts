import { describe, expect, it } from "vitest";
import type { Briefing } from "../../db/schema";
import { AdmissionCache } from "./admission-cache";

// The access look-up of a socket upgrade awaits the database: a membership or briefing change
// published while it runs must keep its result out of the cache, or the next upgrade would be
// admitted on the access from before the change.
describe("AdmissionCache access epochs", () => {
  const access = { briefing: { id: "b1", teamId: "t1", status: "draft" } as Briefing, role: "editor" as const };

  it("keeps an access looked up with no change published meanwhile", () => {
    const cache = new AdmissionCache(60_000);
    const epoch = cache.accessChanges;
    cache.rememberAccess("b1", "u1", access, epoch);
    expect(cache.briefingAccess("b1", "u1")).toEqual(access);
  });

  it("drops an access whose look-up began before forgetAccess or forgetAll", () => {
    const cache = new AdmissionCache(60_000);
    const before = cache.accessChanges;
    cache.forgetAccess();
    cache.rememberAccess("b1", "u1", access, before);
    expect(cache.briefingAccess("b1", "u1")).toBeUndefined();

    const beforeAll = cache.accessChanges;
    cache.forgetAll();
    cache.rememberAccess("b1", "u1", access, beforeAll);
    expect(cache.briefingAccess("b1", "u1")).toBeUndefined();
  });
});
