import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countAuditEvents, insertAuditEvent, listAuditEvents, listAuditPeople } from "../../db/queries/audit";
import { listMarkings, reclassify, setTeamClassificationLevels } from "../../db/queries/markings";
import { createSession, deleteExpiredSessions, deleteSession, getSessionUser, isSessionActive } from "../../db/queries/sessions";
import { createUser, getUserByEmail, getUserById, USER_COLORS } from "../../db/queries/users";
import { exec, first, withTransaction, type Store } from "../../db/store";
import { testDialects, type TestStore } from "../helpers/stores";

/**
 * The converted query modules (sessions, users, audit, markings) run unchanged on both dialects and
 * give the same results: a real SQLite file and a real PostgreSQL database.
 */
const now = new Date("2026-12-01T10:00:00.000Z");

for (const dialect of testDialects()) {
  describe.skipIf(!dialect.available)(`query modules on ${dialect.name}`, () => {
    let ts: TestStore;
    let store: Store;
    beforeAll(async () => {
      ts = await dialect.open();
      store = ts.store;
      await exec(store, (db, t) => db.insert(t.teams).values([{ id: "team-1", name: "Desk", createdAt: now }, { id: "team-2", name: "Other", createdAt: now }]));
      await exec(store, (db, t) =>
        db.insert(t.briefings).values({
          id: "brief-1",
          teamId: "team-1",
          title: "Summit",
          summitName: "Summit",
          city: "Ankara",
          startDate: "2026-12-14",
          endDate: "2026-12-15",
          classification: "RESTRICTED",
          createdAt: now,
          updatedAt: now,
          lastEditedAt: now,
        }),
      );
    });
    afterAll(async () => ts?.close());

    it("creates users with normalised emails and round-robin colours, and finds them by email and id", async () => {
      const ada = await createUser(store, { email: "  Ada@Example.ORG ", name: " Ada ", passwordHash: "h1", id: "user-ada" });
      const bob = await createUser(store, { email: "bob@example.org", name: "Bob", passwordHash: "h2", id: "user-bob", isDemo: true });
      expect(ada).toMatchObject({ id: "user-ada", email: "ada@example.org", name: "Ada", color: USER_COLORS[0], isDemo: false });
      expect(ada.createdAt).toBeInstanceOf(Date);
      expect(bob).toMatchObject({ color: USER_COLORS[1], isDemo: true });
      expect(await getUserByEmail(store, "ADA@example.org ")).toEqual(ada);
      expect(await getUserById(store, "user-bob")).toEqual(bob);
      expect(await getUserByEmail(store, "nobody@example.org")).toBeUndefined();
      expect(await getUserById(store, "nobody")).toBeUndefined();
    });

    it("creates, finds and deletes sessions; an expired one is neither found nor active, and is purged", async () => {
      const live = await createSession(store, "user-ada", 60_000);
      expect(live.sessionId).not.toBe(live.token); // only the hash is stored
      const found = await getSessionUser(store, live.token);
      expect(found).toMatchObject({ sessionId: live.sessionId, user: { id: "user-ada", email: "ada@example.org" } });
      expect(found!.expiresAt.getTime()).toBeGreaterThan(Date.now());
      expect(await isSessionActive(store, live.sessionId)).toBe(true);

      const expired = await createSession(store, "user-bob", -1000);
      expect(await getSessionUser(store, expired.token)).toBeNull();
      expect(await isSessionActive(store, expired.sessionId)).toBe(false);
      expect(await deleteExpiredSessions(store)).toBe(1);
      expect(await deleteExpiredSessions(store)).toBe(0);

      expect(await deleteSession(store, live.token)).toBe(live.sessionId);
      expect(await getSessionUser(store, live.token)).toBeNull();
      expect(await isSessionActive(store, live.sessionId)).toBe(false);
      expect(await getSessionUser(store, "not-a-token")).toBeNull();
    });

    it("appends audit events and reads a team's trail with filters, paging, counts and people", async () => {
      await exec(store, (db, t) => db.insert(t.memberships).values({ teamId: "team-1", userId: "user-ada", role: "owner", createdAt: now }));
      const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
      await insertAuditEvent(store, { action: "briefing.create", at: at(1), teamId: "team-1", actorId: "user-ada", actorEmail: "Ada@Example.org", briefingId: "brief-1", target: "Summit", details: { n: 1 } });
      await insertAuditEvent(store, { action: "briefing.export", at: at(2), teamId: "team-1", actorId: "user-bob", actorEmail: "bob@example.org", briefingId: "brief-1", details: { format: "pdf" } });
      // An account event of a member (no team) belongs to the trail; one of a non-member does not.
      await insertAuditEvent(store, { action: "auth.sign_in", at: at(3), actorId: "user-ada", actorEmail: "ada@example.org", ip: "127.0.0.1" });
      await insertAuditEvent(store, { action: "auth.sign_in", at: at(4), actorId: "user-bob", actorEmail: "bob@example.org" });
      await insertAuditEvent(store, { action: "briefing.create", at: at(5), teamId: "team-2", actorId: "user-bob", actorEmail: "bob@example.org" });

      const all = await listAuditEvents(store, "team-1", {}, { limit: 10 });
      expect(all.map((e) => [e.action, e.actorEmail])).toEqual([
        ["auth.sign_in", "ada@example.org"],
        ["briefing.export", "bob@example.org"],
        ["briefing.create", "Ada@Example.org"],
      ]);
      expect(all[2]).toMatchObject({ teamId: "team-1", briefingId: "brief-1", target: "Summit", details: { n: 1 }, at: at(1) });
      expect(all[0].ip).toBe("127.0.0.1");
      expect(await countAuditEvents(store, "team-1", {})).toBe(3);
      expect(await countAuditEvents(store, "team-1", { action: "briefing.create" })).toBe(1);
      expect((await listAuditEvents(store, "team-1", { person: "ADA@example.org" }, { limit: 10 })).map((e) => e.action)).toEqual(["auth.sign_in", "briefing.create"]);
      expect(await countAuditEvents(store, "team-1", { briefingId: "brief-1" })).toBe(2);
      expect((await listAuditEvents(store, "team-1", { from: at(2), until: at(3) }, { limit: 10 })).map((e) => e.action)).toEqual(["briefing.export"]);
      const [firstPage, secondPage] = [await listAuditEvents(store, "team-1", {}, { limit: 2 }), await listAuditEvents(store, "team-1", {}, { limit: 2, offset: 2 })];
      expect([...firstPage, ...secondPage].map((e) => e.id)).toEqual(all.map((e) => e.id));
      expect((await listAuditEvents(store, "team-1", {}, { limit: 10, beforeId: all[0].id })).map((e) => e.id)).toEqual(all.slice(1).map((e) => e.id));
      expect(await listAuditPeople(store, "team-1")).toEqual(["Ada@Example.org", "ada@example.org", "bob@example.org"]);
      expect(await countAuditEvents(store, "team-2", {})).toBe(1);
    });

    it("an audit row written in a transaction that fails is rolled back with it", async () => {
      const before = await countAuditEvents(store, "team-1", {});
      await expect(
        withTransaction(store, async (tx) => {
          await insertAuditEvent(tx, { action: "team.settings_change", teamId: "team-1", actorId: "user-ada", actorEmail: "ada@example.org" });
          throw new Error("the change failed");
        }),
      ).rejects.toThrow("the change failed");
      expect(await countAuditEvents(store, "team-1", {})).toBe(before);
    });

    it("reclassifies with numbered marking versions, lists them oldest first, and stores a team's levels", async () => {
      const base = { briefingId: "brief-1", reason: "Sources", status: "draft" as const, changedBy: "user-ada", changedByName: "Ada" };
      const one = await reclassify(store, { ...base, fromLevel: "RESTRICTED", toLevel: "SECRET" });
      const two = await reclassify(store, { ...base, fromLevel: "SECRET", toLevel: "CONFIDENTIAL", reason: "Declassified" });
      expect([one.version, two.version]).toEqual([1, 2]);
      expect(one.changedAt).toBeInstanceOf(Date);
      const briefing = first(await exec(store, (db, t) => db.select().from(t.briefings).where(eq(t.briefings.id, "brief-1")).limit(1)));
      expect(briefing?.classification).toBe("CONFIDENTIAL");
      expect((await listMarkings(store, "brief-1")).map((m) => [m.version, m.fromLevel, m.toLevel, m.reason])).toEqual([
        [1, "RESTRICTED", "SECRET", "Sources"],
        [2, "SECRET", "CONFIDENTIAL", "Declassified"],
      ]);
      expect(await listMarkings(store, "no-such-briefing")).toEqual([]);

      const levels = JSON.stringify([{ name: "OPEN", abbr: "O" }, { name: "CLOSED", abbr: "C" }]);
      await setTeamClassificationLevels(store, "team-1", levels);
      const team = first(await exec(store, (db, t) => db.select().from(t.teams).where(eq(t.teams.id, "team-1")).limit(1)));
      expect(team?.classificationLevels).toBe(levels);
    });
  });
}
