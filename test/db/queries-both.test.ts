import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addComment,
  countOpenMentions,
  createThread,
  deleteComment,
  getComment,
  getThread,
  listMentions,
  listThreads,
  setThreadAnchor,
  setThreadResolved,
  updateComment,
} from "../../db/queries/comments";
import { countAuditEvents, insertAuditEvent, listAuditEvents, listAuditPeople } from "../../db/queries/audit";
import { listNotifications, markAllRead, markRead, notify, onNotificationsChanged, unreadCount } from "../../db/queries/notifications";
import {
  createSuggestion,
  decideSuggestion,
  decideSuggestionSqliteSync,
  getSuggestion,
  listSuggestions,
  openSuggestionIdsBy,
  setSuggestionThread,
} from "../../db/queries/suggestions";
import { listMarkings, reclassify, setTeamClassificationLevels } from "../../db/queries/markings";
import { createSession, deleteExpiredSessions, deleteSession, getSessionUser, isSessionActive } from "../../db/queries/sessions";
import { createUser, getUserByEmail, getUserById, USER_COLORS } from "../../db/queries/users";
import { exec, first, withTransaction, type Store } from "../../db/store";
import { testDialects, type TestStore } from "../helpers/stores";

/**
 * The converted query modules (sessions, users, audit, markings, comments, notifications,
 * suggestions) run unchanged on both dialects and
 * give the same results: a real SQLite file and a real PostgreSQL database.
 */
const now = new Date("2026-12-01T10:00:00.000Z");

/** Waits for the clock's next millisecond, so rows written before and after sort by time, not by a tie-break. */
async function nextMillisecond(): Promise<void> {
  const start = Date.now();
  while (Date.now() === start) await new Promise((resolve) => setImmediate(resolve));
}

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

    it("opens threads, replies, edits, resolves, moves and lists them per briefing, with names joined", async () => {
      const anchor = (n: number) => new Uint8Array([n, 1, 2, 255]);
      const base = { briefingId: "brief-1", anchorStart: anchor(1), anchorEnd: anchor(2), quotedText: "Ankara", authorId: "user-bob" };
      const threadId = await createThread(store, { ...base, body: "Check <@user-ada>", mentions: ["user-ada"] });
      await nextMillisecond();
      const replyId = await addComment(store, threadId, "user-ada", "Checked", []);
      await nextMillisecond();
      const other = await createThread(store, { ...base, quotedText: "Summit", body: "Second", mentions: [] });

      const thread = await getThread(store, threadId);
      expect(thread).toMatchObject({ id: threadId, briefingId: "brief-1", quotedText: "Ankara", createdBy: "user-bob", resolvedAt: null, resolvedByName: null });
      expect(Buffer.from(thread!.anchorStart)).toEqual(Buffer.from(anchor(1)));
      expect(thread!.createdAt).toBeInstanceOf(Date);
      expect(thread!.comments.map((c) => [c.authorName, c.authorColor, c.body, c.mentions])).toEqual([
        ["Bob", USER_COLORS[1], "Check <@user-ada>", ["user-ada"]],
        ["Ada", USER_COLORS[0], "Checked", []],
      ]);
      expect((await listThreads(store, "brief-1")).map((t) => [t.id, t.comments.length])).toEqual([
        [threadId, 2],
        [other, 1],
      ]);
      expect(await listThreads(store, "no-such-briefing")).toEqual([]);
      expect(await getThread(store, "no-such-thread")).toBeUndefined();

      await updateComment(store, replyId, "Checked twice", ["user-bob"]);
      expect(await getComment(store, replyId)).toMatchObject({ body: "Checked twice", mentions: ["user-bob"], threadId });
      expect((await getComment(store, replyId))!.editedAt).toBeInstanceOf(Date);
      expect(await getComment(store, "no-such-comment")).toBeUndefined();

      await setThreadResolved(store, threadId, "user-ada");
      expect(await getThread(store, threadId)).toMatchObject({ resolvedBy: "user-ada", resolvedByName: "Ada" });
      expect((await getThread(store, threadId))!.resolvedAt).toBeInstanceOf(Date);
      await setThreadResolved(store, threadId, null);
      expect(await getThread(store, threadId)).toMatchObject({ resolvedAt: null, resolvedBy: null, resolvedByName: null });

      await setThreadAnchor(store, other, anchor(7), anchor(8), "Moved");
      const moved = await getThread(store, other);
      expect([Buffer.from(moved!.anchorStart), Buffer.from(moved!.anchorEnd), moved!.quotedText]).toEqual([Buffer.from(anchor(7)), Buffer.from(anchor(8)), "Moved"]);
    });

    it("deletes comments: a reply goes, a first comment with replies stays as a tombstone, the last live one takes the thread", async () => {
      const base = { briefingId: "brief-1", anchorStart: new Uint8Array([1]), anchorEnd: new Uint8Array([2]), quotedText: "x", authorId: "user-ada", mentions: [] };
      const threadId = await createThread(store, { ...base, body: "First" });
      const firstId = (await getThread(store, threadId))!.comments[0].id;
      await nextMillisecond();
      const reply1 = await addComment(store, threadId, "user-bob", "Reply one", []);
      await nextMillisecond();
      const reply2 = await addComment(store, threadId, "user-bob", "Reply two", []);

      expect(await deleteComment(store, reply1)).toEqual({ threadDeleted: false });
      expect(await getComment(store, reply1)).toBeUndefined();
      expect(await deleteComment(store, firstId)).toEqual({ threadDeleted: false });
      expect((await getThread(store, threadId))!.comments.map((c) => [c.id, c.body, c.mentions])).toEqual([
        [firstId, "", []],
        [reply2, "Reply two", []],
      ]);
      expect(await deleteComment(store, reply2)).toEqual({ threadDeleted: true });
      expect(await getThread(store, threadId)).toBeUndefined();
      expect(await getComment(store, firstId)).toBeUndefined(); // the thread's comments go with it
      expect(await deleteComment(store, "no-such-comment")).toEqual({ threadDeleted: false });
    });

    it("lists and counts the comments that mention someone, from their teams, not their own or deleted ones", async () => {
      const base = { briefingId: "brief-1", anchorStart: new Uint8Array([1]), anchorEnd: new Uint8Array([2]), quotedText: "Quoted" };
      const before = await countOpenMentions(store, "user-ada");
      const open = await createThread(store, { ...base, authorId: "user-bob", body: "Open for <@user-ada>", mentions: ["user-ada"] });
      const resolved = await createThread(store, { ...base, authorId: "user-bob", body: "Resolved for <@user-ada>", mentions: ["user-ada"] });
      await setThreadResolved(store, resolved, "user-ada");
      await createThread(store, { ...base, authorId: "user-ada", body: "Self <@user-ada>", mentions: ["user-ada"] });
      await createThread(store, { ...base, authorId: "user-bob", body: "Someone else", mentions: ["user-bob"] });

      expect(await countOpenMentions(store, "user-ada")).toBe(before + 1);
      const mentions = await listMentions(store, "user-ada", 50);
      const mine = mentions.filter((m) => m.threadId === open || m.threadId === resolved);
      expect(mine.map((m) => [m.body, m.resolved])).toEqual(
        expect.arrayContaining([
          ["Open for <@user-ada>", false],
          ["Resolved for <@user-ada>", true],
        ]),
      );
      expect(mine.find((m) => m.threadId === open)).toMatchObject({ briefingId: "brief-1", briefingTitle: "Summit", teamName: "Desk", authorName: "Bob", authorColor: USER_COLORS[1], quotedText: "Quoted" });
      expect(typeof mine[0].createdAt).toBe("number");
      expect(mentions.every((m) => !m.body.startsWith("Self") && m.body !== "Someone else")).toBe(true);
      // Newest first, and the limit holds.
      expect(mentions.map((m) => m.createdAt)).toEqual([...mentions.map((m) => m.createdAt)].sort((a, b) => b - a));
      expect(await listMentions(store, "user-ada", 1)).toHaveLength(1);
      // Bob is in no team: mentions of him are not his to see.
      expect(await listMentions(store, "user-bob", 50)).toEqual([]);
      expect(await countOpenMentions(store, "user-bob")).toBe(0);
    });

    it("records notifications once per dedupe key, counts, lists and marks them read, and tells listeners", async () => {
      const told: string[] = [];
      const off = onNotificationsChanged(store, (userId) => told.push(userId));
      const link = "/briefings/brief-1";
      expect(await notify(store, "user-ada", "mentioned", { briefingId: "brief-1", link, text: "Bob mentioned you" })).toBe(true);
      expect(await notify(store, "user-ada", "review_due", { briefingId: "brief-1", link, text: "Due tomorrow" }, "review_due:brief-1")).toBe(true);
      expect(await notify(store, "user-ada", "review_due", { briefingId: "brief-1", link, text: "Due tomorrow" }, "review_due:brief-1")).toBe(false);
      // Not a path inside the app: the list links to the notifications page instead.
      expect(await notify(store, "user-bob", "suggestion_accepted", { briefingId: "brief-1", link: "https://elsewhere.example", text: "Accepted" })).toBe(true);
      expect(told).toEqual(["user-ada", "user-ada", "user-bob"]);

      expect(await unreadCount(store, "user-ada")).toBe(2);
      expect(await unreadCount(store, "nobody")).toBe(0);
      const list = await listNotifications(store, "user-ada", 10);
      expect(list.map((n) => [n.kind, n.text, n.link, n.briefingTitle, n.read])).toEqual(
        expect.arrayContaining([
          ["mentioned", "Bob mentioned you", link, "Summit", false],
          ["review_due", "Due tomorrow", link, "Summit", false],
        ]),
      );
      expect(list).toHaveLength(2);
      expect(typeof list[0].createdAt).toBe("number");
      expect(list[0].createdAt).toBeGreaterThanOrEqual(list[1].createdAt);
      expect(await listNotifications(store, "user-ada", 1)).toHaveLength(1);
      // Bob is not in the briefing's team: he keeps his notification, without the briefing's title.
      expect((await listNotifications(store, "user-bob", 10)).map((n) => [n.link, n.briefingTitle])).toEqual([["/notifications", null]]);

      const [one] = list;
      expect(await markRead(store, "user-bob", one.id)).toBe(false); // not his
      expect(await markRead(store, "user-ada", "no-such-id")).toBe(false);
      expect(await markRead(store, "user-ada", one.id)).toBe(true);
      expect(await unreadCount(store, "user-ada")).toBe(1);
      expect((await listNotifications(store, "user-ada", 10)).find((n) => n.id === one.id)?.read).toBe(true);
      await markAllRead(store, "user-ada");
      expect(await unreadCount(store, "user-ada")).toBe(0);
      expect(await unreadCount(store, "user-bob")).toBe(1);
      expect(told.slice(3)).toEqual(["user-ada", "user-ada"]);
      off();
      await notify(store, "user-ada", "mentioned", { link, text: "After" });
      expect(told).toHaveLength(5);
    });

    it("creates suggestions, lists them oldest first, finds one person's open ones, links a thread, and decides each once", async () => {
      const base = { briefingId: "brief-1", anchorStart: new Uint8Array([3, 0, 9]), anchorEnd: new Uint8Array([4]), originalText: "Ankara" };
      const a = await createSuggestion(store, { ...base, kind: "text", replacement: "Istanbul", authorId: "user-bob" });
      const b = await createSuggestion(store, { ...base, kind: "topicTitle", replacement: "Trade", authorId: "user-bob" });
      const c = await createSuggestion(store, { ...base, kind: "text", replacement: "", authorId: "user-ada" });

      const got = await getSuggestion(store, a);
      expect(got).toMatchObject({ id: a, kind: "text", status: "open", originalText: "Ankara", replacement: "Istanbul", authorId: "user-bob", authorName: "Bob", authorColor: USER_COLORS[1], acceptedByName: null, rejectedByName: null, threadId: null });
      expect(Buffer.from(got!.anchorStart)).toEqual(Buffer.from([3, 0, 9]));
      expect(got!.createdAt).toBeInstanceOf(Date);
      expect(await getSuggestion(store, "no-such-suggestion")).toBeUndefined();
      // Oldest first, ties (the same millisecond) by id.
      const created = new Map<string, number>();
      for (const id of [a, b, c]) created.set(id, (await getSuggestion(store, id))!.createdAt.getTime());
      const inOrder = (...ids: string[]) => [...ids].sort((x, y) => created.get(x)! - created.get(y)! || (x < y ? -1 : 1));
      expect((await listSuggestions(store, "brief-1")).map((s) => s.id)).toEqual(inOrder(a, b, c));
      expect(await listSuggestions(store, "no-such-briefing")).toEqual([]);
      expect(await openSuggestionIdsBy(store, "brief-1", "user-bob")).toEqual(inOrder(a, b));

      // The first decision wins; a second one, either way, changes nothing.
      expect(await decideSuggestion(store, a, "accepted", "user-ada")).toBe(true);
      expect(await decideSuggestion(store, a, "rejected", "user-ada")).toBe(false);
      expect(await decideSuggestion(store, a, "accepted", "user-ada")).toBe(false);
      const accepted = await getSuggestion(store, a);
      expect(accepted).toMatchObject({ status: "accepted", acceptedBy: "user-ada", acceptedByName: "Ada", rejectedBy: null, rejectedByName: null });
      expect(accepted!.acceptedAt).toBeInstanceOf(Date);
      expect(Math.abs(accepted!.acceptedAt!.getTime() - Date.now())).toBeLessThan(60_000);
      expect(await decideSuggestion(store, b, "rejected", "user-ada")).toBe(true);
      expect(await getSuggestion(store, b)).toMatchObject({ status: "rejected", rejectedBy: "user-ada", rejectedByName: "Ada", acceptedBy: null });
      expect(await decideSuggestion(store, "no-such-suggestion", "rejected", "user-ada")).toBe(false);
      expect(await openSuggestionIdsBy(store, "brief-1", "user-bob")).toEqual([]);

      const threadId = await createThread(store, { ...base, quotedText: "Ankara", authorId: "user-ada", body: "Why?", mentions: [] });
      await setSuggestionThread(store, c, threadId);
      expect((await getSuggestion(store, c))?.threadId).toBe(threadId);
      const statuses = new Map([[a, "accepted"], [b, "rejected"], [c, "open"]]);
      expect((await listSuggestions(store, "brief-1")).map((s) => [s.id, s.status])).toEqual(inOrder(a, b, c).map((id) => [id, statuses.get(id)]));
    });

    it.skipIf(dialect.name !== "sqlite")("decides synchronously inside a live document change, once, on the SQLite connection", async () => {
      if (store.dialect !== "sqlite") return;
      const id = await createSuggestion(store, { briefingId: "brief-1", kind: "text", anchorStart: new Uint8Array([1]), anchorEnd: new Uint8Array([2]), originalText: "x", replacement: "y", authorId: "user-bob" });
      expect(decideSuggestionSqliteSync(store.db, id, "accepted", "user-ada")).toBe(true);
      expect(decideSuggestionSqliteSync(store.db, id, "accepted", "user-ada")).toBe(false);
      expect(await decideSuggestion(store, id, "rejected", "user-ada")).toBe(false);
      const decided = await getSuggestion(store, id);
      expect(decided).toMatchObject({ status: "accepted", acceptedBy: "user-ada", acceptedByName: "Ada" });
      expect(Math.abs(decided!.acceptedAt!.getTime() - Date.now())).toBeLessThan(60_000);
    });
  });
}
