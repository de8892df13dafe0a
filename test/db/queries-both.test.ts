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
  getSuggestion,
  listSuggestions,
  openSuggestionIdsBy,
  reopenAccepted,
  setSuggestionThread,
} from "../../db/queries/suggestions";
import { listMarkings, reclassify, setTeamClassificationLevels } from "../../db/queries/markings";
import {
  createBriefing,
  deleteBriefing,
  getBriefing,
  getBriefingAccess,
  listBriefings,
  listRecentlyEditedBy,
  listTemplates,
  setBriefingArchived,
  setBriefingTemplate,
  updateBriefingDetails,
} from "../../db/queries/briefings";
import {
  acceptInvitation,
  createInvitation,
  createTeam,
  getInvitation,
  getMembership,
  getTeam,
  hasUsedInvitation,
  invitationState,
  LastOwnerError,
  listMembers,
  listOpenInvitations,
  listTeamsForUser,
  removeMember,
  revokeInvitation,
  setMemberRole,
  setTeamExportPolicy,
} from "../../db/queries/teams";
import { createSession, deleteExpiredSessions, deleteSession, getSessionUser, isSessionActive } from "../../db/queries/sessions";
import { createUser, createUserIfEmailFree, EmailTakenError, getUserByEmail, getUserById, USER_COLORS } from "../../db/queries/users";
import { exec, first, withTransaction, type Store } from "../../db/store";
import {
  createLibraryFact,
  getLibraryFact,
  listLibraryCountries,
  listLibraryFacts,
  listQuoteFacets,
  listTeamQuotes,
  MATCH_END,
  MATCH_START,
  searchBriefings,
  updateLibraryFact,
} from "../../db/queries/blocks";
import { replaceSearchRowPg } from "../../db/dialect/pg/search";
import {
  getBriefingInReview,
  getReview,
  hasApprovals,
  listApprovals,
  listReviewTopics,
  listTeamMembersAmong,
  resetApproval,
  saveReviewDecision,
  startReview,
} from "../../db/queries/reviews";
import { resetChangedApprovals } from "../../server/review/review-layer";
import { replaceSearchRow } from "../../server/persistence/search-rows";
import { withTurkishFolds } from "../../server/persistence/search-text";
import { testDialects, type TestStore } from "../helpers/stores";

/**
 * The converted query modules (sessions, users, audit, markings, comments, notifications,
 * suggestions, teams, briefings, blocks, reviews) run unchanged on both dialects and
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

    it("two accounts for one email at once: exactly one is created, the other is told the email is taken", async () => {
      const [a, b] = await Promise.allSettled([
        createUser(store, { email: "race@example.org", name: "A", passwordHash: "h", id: "user-race-a" }),
        createUser(store, { email: " RACE@example.org", name: "B", passwordHash: "h", id: "user-race-b" }),
      ]);
      expect([a.status, b.status].sort()).toEqual(["fulfilled", "rejected"]);
      const refused = [a, b].find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(EmailTakenError);
      // Another unique key (the id) is not a taken email. Either may win the race (on PostgreSQL the
      // two inserts run on two pool connections), so the id reused is the winner's.
      const winner = a.status === "fulfilled" ? "user-race-a" : "user-race-b";
      await expect(createUser(store, { email: "other@example.org", name: "C", passwordHash: "h", id: winner })).rejects.not.toBeInstanceOf(EmailTakenError);
      await expect(createUser(store, { email: "other@example.org", name: "C", passwordHash: "h", id: winner })).rejects.toThrow();

      // Sign-up: several pairs racing for one email each; every pair ends in one account and one null.
      const pairs = await Promise.all(
        [1, 2, 3, 4].map((i) =>
          Promise.all([
            createUserIfEmailFree(store, { email: `pair-${i}@example.org`, name: `P${i}`, passwordHash: "h" }),
            createUserIfEmailFree(store, { email: `Pair-${i}@example.org`, name: `Q${i}`, passwordHash: "h" }),
          ]),
        ),
      );
      for (const [i, pair] of pairs.entries()) {
        expect(pair.filter((u) => u === null)).toHaveLength(1);
        expect(pair.find((u) => u !== null)).toMatchObject({ email: `pair-${i + 1}@example.org` });
      }
      expect(await createUserIfEmailFree(store, { email: "pair-1@example.org", name: "Late", passwordHash: "h" })).toBeNull();
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

    it("records an accept once when two deciders race, and gives back only that very accept", async () => {
      const suggest = () =>
        createSuggestion(store, { briefingId: "brief-1", kind: "text", anchorStart: new Uint8Array([1]), anchorEnd: new Uint8Array([2]), originalText: "x", replacement: "y", authorId: "user-bob" });
      // Several rounds, both at once: on PostgreSQL each runs on its own pool connection, as on two instances.
      for (let round = 0; round < 10; round++) {
        const id = await suggest();
        const [one, two] = await Promise.all([decideSuggestion(store, id, "accepted", "user-ada"), decideSuggestion(store, id, "accepted", "user-bob")]);
        expect([one, two].filter(Boolean)).toHaveLength(1);
        expect((await getSuggestion(store, id))?.acceptedBy).toBe(one ? "user-ada" : "user-bob");
      }

      const at = new Date(Date.now() - 5_000);
      const id = await suggest();
      expect(await decideSuggestion(store, id, "accepted", "user-ada", at)).toBe(true);
      expect(await getSuggestion(store, id)).toMatchObject({ status: "accepted", acceptedBy: "user-ada", acceptedAt: at });
      // Not someone else's accept, nor one at another time.
      expect(await reopenAccepted(store, id, "user-bob", at)).toBe(false);
      expect(await reopenAccepted(store, id, "user-ada", new Date(at.getTime() + 1))).toBe(false);
      expect(await reopenAccepted(store, id, "user-ada", at)).toBe(true);
      expect(await getSuggestion(store, id)).toMatchObject({ status: "open", acceptedBy: null, acceptedAt: null, acceptedByName: null });
      expect(await reopenAccepted(store, id, "user-ada", at)).toBe(false);
      // Open again, so the next decider wins; a rejection is never reopened.
      expect(await decideSuggestion(store, id, "rejected", "user-bob", at)).toBe(true);
      expect(await reopenAccepted(store, id, "user-bob", at)).toBe(false);
      expect((await getSuggestion(store, id))?.status).toBe("rejected");
    });

    describe("briefings", () => {
      const details = (title: string) => ({ title, summitName: "Astana summit", city: "Astana", startDate: "2026-12-14", endDate: "2026-12-15", classification: "RESTRICTED" });
      const editor = "brief-user-editor";
      const outsider = "brief-user-outsider";
      beforeAll(async () => {
        await createUser(store, { id: editor, email: `${editor}@example.org`, name: "Edith", passwordHash: "h" });
        await createUser(store, { id: outsider, email: `${outsider}@example.org`, name: "Otto", passwordHash: "h" });
        await createTeam(store, "Gamma desk", editor, "team-gamma");
      });
      /** Moves a briefing's last edit (and creation) to a known time, so list orders are fixed. */
      const at = (id: string, minutes: number) =>
        exec(store, (db, t) =>
          db
            .update(t.briefings)
            .set({ lastEditedAt: new Date(now.getTime() + minutes * 60_000), createdAt: new Date(now.getTime() + minutes * 60_000) })
            .where(eq(t.briefings.id, id)),
        );

      it("creates a draft briefing, reads it, and gives access only to members of its team with their role", async () => {
        const created = await createBriefing(store, "team-gamma", details("Water"), editor, "gamma-water");
        expect(created).toMatchObject({ id: "gamma-water", teamId: "team-gamma", ...details("Water"), status: "draft", createdBy: editor, lastEditedBy: editor, isTemplate: false, archivedAt: null });
        expect(created.createdAt).toBeInstanceOf(Date);
        expect(created.lastEditedAt.getTime()).toBe(created.createdAt.getTime());
        expect(await getBriefing(store, "gamma-water")).toEqual(created);
        expect(await getBriefing(store, "no-such-briefing")).toBeUndefined();
        expect(await getBriefingAccess(store, "gamma-water", editor)).toEqual({ briefing: created, role: "owner" });
        expect(await getBriefingAccess(store, "gamma-water", outsider)).toBeUndefined();
        expect(await getBriefingAccess(store, "no-such-briefing", editor)).toBeUndefined();
        const generated = await createBriefing(store, "team-gamma", details("Energy"), editor);
        expect(generated.id).toMatch(/^[A-Za-z0-9_-]{10,}$/);
        await deleteBriefing(store, generated.id);
      });

      it("lists active or archived briefings by last edit, title (ignoring case) or creation, with open threads counted", async () => {
        await createBriefing(store, "team-gamma", details("energy"), editor, "gamma-energy");
        await createBriefing(store, "team-gamma", details("Borders"), editor, "gamma-borders");
        await at("gamma-water", 3);
        await at("gamma-energy", 1);
        await at("gamma-borders", 2);
        await exec(store, (db, t) =>
          db.insert(t.commentThreads).values([
            { id: "gamma-thread-1", briefingId: "gamma-water", anchorStart: Buffer.from([1]), anchorEnd: Buffer.from([2]), quotedText: "q", createdBy: editor, createdAt: now },
            { id: "gamma-thread-2", briefingId: "gamma-water", anchorStart: Buffer.from([1]), anchorEnd: Buffer.from([2]), quotedText: "q", createdBy: editor, createdAt: now, resolvedAt: now, resolvedBy: editor },
          ]),
        );
        const ids = async (opts: Parameters<typeof listBriefings>[2]) => (await listBriefings(store, "team-gamma", opts)).map((b) => b.id);
        expect(await ids({})).toEqual(["gamma-water", "gamma-borders", "gamma-energy"]);
        expect(await ids({ sort: "title" })).toEqual(["gamma-borders", "gamma-energy", "gamma-water"]);
        expect(await ids({ sort: "created" })).toEqual(["gamma-water", "gamma-borders", "gamma-energy"]);
        const [water] = await listBriefings(store, "team-gamma");
        expect(water).toMatchObject({ title: "Water", status: "draft", lastEditedByName: "Edith", isTemplate: false, archivedAt: null, openThreads: 1, portionMarks: [] });
        expect(water.lastEditedAt).toBeInstanceOf(Date);

        await setBriefingArchived(store, "gamma-energy", true);
        expect(await ids({})).toEqual(["gamma-water", "gamma-borders"]);
        expect(await ids({ archived: true })).toEqual(["gamma-energy"]);
        expect((await getBriefing(store, "gamma-energy"))?.archivedAt).toBeInstanceOf(Date);
        await setBriefingArchived(store, "gamma-energy", false);
        expect(await ids({ archived: true })).toEqual([]);
        expect(await listBriefings(store, "no-such-team")).toEqual([]);
      });

      it("lists what a user last edited, newest first, without archived briefings, up to the limit", async () => {
        await setBriefingArchived(store, "gamma-borders", true);
        const recent = await listRecentlyEditedBy(store, "team-gamma", editor, 5);
        expect(recent.map((b) => b.id)).toEqual(["gamma-water", "gamma-energy"]);
        expect(recent[0]).toEqual({ id: "gamma-water", title: "Water", status: "draft", lastEditedAt: new Date(now.getTime() + 3 * 60_000) });
        expect((await listRecentlyEditedBy(store, "team-gamma", editor, 1)).map((b) => b.id)).toEqual(["gamma-water"]);
        expect(await listRecentlyEditedBy(store, "team-gamma", outsider, 5)).toEqual([]);
        await setBriefingArchived(store, "gamma-borders", false);
      });

      it("updates details and marks the editor, but never of a final briefing", async () => {
        expect(await updateBriefingDetails(store, "gamma-water", { title: "Water and rivers", city: "Almaty" }, outsider)).toBe(true);
        const updated = await getBriefing(store, "gamma-water");
        expect(updated).toMatchObject({ title: "Water and rivers", city: "Almaty", summitName: "Astana summit", lastEditedBy: outsider });
        expect(updated!.lastEditedAt.getTime()).toBeGreaterThan(now.getTime() + 3 * 60_000);
        await exec(store, (db, t) => db.update(t.briefings).set({ status: "final" }).where(eq(t.briefings.id, "gamma-water")));
        expect(await updateBriefingDetails(store, "gamma-water", { title: "Changed" }, editor)).toBe(false);
        expect((await getBriefing(store, "gamma-water"))?.title).toBe("Water and rivers");
        expect(await updateBriefingDetails(store, "no-such-briefing", { title: "X" }, editor)).toBe(false);
      });

      it("marks templates, lists the active ones by title, and deletes a briefing with what hangs on it", async () => {
        await setBriefingTemplate(store, "gamma-water", true);
        await setBriefingTemplate(store, "gamma-energy", true);
        await setBriefingTemplate(store, "gamma-borders", true);
        await setBriefingArchived(store, "gamma-borders", true);
        expect(await listTemplates(store, "team-gamma")).toEqual([
          { id: "gamma-energy", title: "energy" },
          { id: "gamma-water", title: "Water and rivers" },
        ]);
        await setBriefingTemplate(store, "gamma-energy", false);
        expect((await listTemplates(store, "team-gamma")).map((b) => b.id)).toEqual(["gamma-water"]);
        expect((await getBriefing(store, "gamma-energy"))?.isTemplate).toBe(false);

        await deleteBriefing(store, "gamma-water");
        expect(await getBriefing(store, "gamma-water")).toBeUndefined();
        expect(await getBriefingAccess(store, "gamma-water", editor)).toBeUndefined();
        // Its comment threads go with it (on delete cascade on both).
        expect(await exec(store, (db, t) => db.select().from(t.commentThreads).where(eq(t.commentThreads.briefingId, "gamma-water")))).toEqual([]);
        await deleteBriefing(store, "gamma-water"); // already gone: nothing to do
        expect((await listBriefings(store, "team-gamma")).map((b) => b.id)).toEqual(["gamma-energy"]);
      });

      it("a briefing created in a transaction that fails is rolled back with it", async () => {
        await expect(
          withTransaction(store, async (tx) => {
            await createBriefing(tx, "team-gamma", details("Doomed"), editor, "gamma-doomed");
            expect(await getBriefing(tx, "gamma-doomed")).toBeDefined();
            throw new Error("the audit row failed");
          }),
        ).rejects.toThrow("the audit row failed");
        expect(await getBriefing(store, "gamma-doomed")).toBeUndefined();
      });
    });

    describe("teams", () => {
      const people = ["owner", "second", "third", "joiner", "late"].map((n) => `team-user-${n}`);
      beforeAll(async () => {
        for (const [i, id] of people.entries()) {
          // Names sort in this order, so listMembers' order is checked too.
          await createUser(store, { id, email: `${id}@example.org`, name: `${String.fromCharCode(65 + i)} ${id}`, passwordHash: "h" });
        }
      });
      const [owner, second, third, joiner, late] = people;

      it("creates a team with its creator as owner, reads it, and changes its export policy", async () => {
        const team = await createTeam(store, "  Alpha desk ", owner, "team-alpha");
        expect(team).toMatchObject({ id: "team-alpha", name: "Alpha desk", exportPolicy: "everyone" });
        expect(team.createdAt).toBeInstanceOf(Date);
        expect(await getTeam(store, "team-alpha")).toEqual(team);
        expect(await getTeam(store, "no-such-team")).toBeUndefined();
        expect(await getMembership(store, "team-alpha", owner)).toEqual({ role: "owner" });
        expect(await getMembership(store, "team-alpha", second)).toBeUndefined();
        await setTeamExportPolicy(store, "team-alpha", "owners");
        expect((await getTeam(store, "team-alpha"))?.exportPolicy).toBe("owners");
      });

      it("a team whose owner row cannot be written is not created either", async () => {
        // The membership insert fails (no such user): the team row goes with it.
        await expect(createTeam(store, "Orphan", "no-such-user", "team-orphan")).rejects.toThrow();
        expect(await getTeam(store, "team-orphan")).toBeUndefined();
      });

      it("lists a user's teams by name with their role, member count and active briefing count as numbers", async () => {
        await createTeam(store, "Beta desk", second, "team-beta");
        await exec(store, (db, t) => db.insert(t.memberships).values({ teamId: "team-beta", userId: owner, role: "viewer", createdAt: now }));
        const brief = (id: string, archivedAt: Date | null) => ({
          id,
          teamId: "team-beta",
          title: id,
          summitName: "S",
          city: "C",
          startDate: "2026-12-14",
          endDate: "2026-12-15",
          classification: "RESTRICTED",
          createdAt: now,
          updatedAt: now,
          lastEditedAt: now,
          archivedAt,
        });
        await exec(store, (db, t) => db.insert(t.briefings).values([brief("beta-1", null), brief("beta-2", null), brief("beta-old", now)]));
        expect(await listTeamsForUser(store, owner)).toEqual([
          { id: "team-alpha", name: "Alpha desk", role: "owner", members: 1, briefings: 0 },
          { id: "team-beta", name: "Beta desk", role: "viewer", members: 2, briefings: 2 },
        ]);
        expect(await listTeamsForUser(store, "nobody")).toEqual([]);
      });

      it("changes roles and removes members, never leaving a team without an owner", async () => {
        await exec(store, (db, t) =>
          db.insert(t.memberships).values([
            { teamId: "team-alpha", userId: second, role: "editor", createdAt: now },
            { teamId: "team-alpha", userId: third, role: "viewer", createdAt: now },
          ]),
        );
        expect((await listMembers(store, "team-alpha")).map((m) => [m.userId, m.role])).toEqual([
          [owner, "owner"],
          [second, "editor"],
          [third, "viewer"],
        ]);
        expect((await listMembers(store, "team-alpha"))[0]).toMatchObject({ name: `A ${owner}`, email: `${owner}@example.org` });

        await expect(setMemberRole(store, "team-alpha", owner, "editor")).rejects.toBeInstanceOf(LastOwnerError);
        await expect(removeMember(store, "team-alpha", owner)).rejects.toBeInstanceOf(LastOwnerError);
        expect(await getMembership(store, "team-alpha", owner)).toEqual({ role: "owner" });

        await setMemberRole(store, "team-alpha", second, "owner");
        await setMemberRole(store, "team-alpha", owner, "commenter"); // another owner is left
        expect(await getMembership(store, "team-alpha", owner)).toEqual({ role: "commenter" });
        await setMemberRole(store, "team-alpha", "no-such-user", "owner"); // no member, no change
        expect(await getMembership(store, "team-alpha", "no-such-user")).toBeUndefined();

        await removeMember(store, "team-alpha", third);
        await removeMember(store, "team-alpha", third); // already gone: nothing to do
        expect(await getMembership(store, "team-alpha", third)).toBeUndefined();
        await setMemberRole(store, "team-alpha", owner, "owner");
      });

      it("the last-owner check runs in the caller's transaction, and its refusal rolls back the caller's writes", async () => {
        await expect(
          withTransaction(store, async (tx) => {
            await setTeamExportPolicy(tx, "team-beta", "editors");
            await removeMember(tx, "team-beta", second);
          }),
        ).rejects.toBeInstanceOf(LastOwnerError);
        expect((await getTeam(store, "team-beta"))?.exportPolicy).toBe("everyone");
        expect(await getMembership(store, "team-beta", second)).toEqual({ role: "owner" });
      });

      it("creates invitations, lists the open ones with who accepted them, and revokes once", async () => {
        const shared = await createInvitation(store, { teamId: "team-alpha", role: "editor", createdBy: owner, maxUses: 3, ttlMs: 60_000 });
        const ownerLink = await createInvitation(store, { teamId: "team-alpha", role: "owner", createdBy: owner, maxUses: 5, ttlMs: 60_000 });
        const expired = await createInvitation(store, { teamId: "team-alpha", role: "viewer", createdBy: owner, maxUses: 1, ttlMs: -1000 });
        expect(shared).toMatchObject({ teamId: "team-alpha", role: "editor", maxUses: 3, useCount: 0, revokedAt: null });
        expect(shared.expiresAt.getTime() - shared.createdAt.getTime()).toBe(60_000);
        expect(ownerLink.maxUses).toBe(1); // owner links are single-use whatever is asked
        expect(invitationState(shared)).toBe("usable");
        expect(invitationState(expired)).toBe("expired");

        expect(await getInvitation(store, shared.id)).toMatchObject({ invitation: shared, team: { id: "team-alpha", name: "Alpha desk" }, inviterName: `A ${owner}` });
        expect(await getInvitation(store, "no-such-invitation")).toBeUndefined();

        expect(await acceptInvitation(store, shared.id, joiner)).toEqual({ ok: true, teamId: "team-alpha", role: "editor", changed: true });
        expect(await hasUsedInvitation(store, shared.id, joiner)).toBe(true);
        expect(await hasUsedInvitation(store, shared.id, late)).toBe(false);
        const open = await listOpenInvitations(store, "team-alpha");
        expect(open.map((i) => i.id)).toEqual([shared.id, ownerLink.id]); // the expired one is not open
        expect(open[0]).toMatchObject({ useCount: 1, uses: [{ invitationId: shared.id, name: `D ${joiner}`, role: "editor" }] });
        expect(open[0].uses[0].usedAt).toBeInstanceOf(Date);
        expect(open[1].uses).toEqual([]);
        expect(await listOpenInvitations(store, "team-beta")).toEqual([]);

        expect(await revokeInvitation(store, "team-beta", ownerLink.id, second)).toBe(false); // another team's
        expect(await revokeInvitation(store, "team-alpha", ownerLink.id, owner)).toBe(true);
        const revoked = (await getInvitation(store, ownerLink.id))!.invitation;
        expect(revoked.revokedBy).toBe(owner);
        expect(await revokeInvitation(store, "team-alpha", ownerLink.id, second)).toBe(true);
        expect((await getInvitation(store, ownerLink.id))!.invitation).toEqual(revoked); // the first record stays
        expect((await listOpenInvitations(store, "team-alpha")).map((i) => i.id)).toEqual([shared.id]);
        expect(await acceptInvitation(store, ownerLink.id, late)).toEqual({ ok: false, reason: "revoked" });
        expect(await acceptInvitation(store, expired.id, late)).toEqual({ ok: false, reason: "expired" });
        expect(await acceptInvitation(store, "no-such-invitation", late)).toEqual({ ok: false, reason: "unknown" });
        expect(await getMembership(store, "team-alpha", late)).toBeUndefined();
      });

      it("accepting again takes no use; a member keeps a higher role; a used-up link is refused", async () => {
        const link = await createInvitation(store, { teamId: "team-alpha", role: "commenter", createdBy: owner, maxUses: 2, ttlMs: 60_000 });
        // The joiner is an editor: a commenter link records the use and keeps the higher role.
        expect(await acceptInvitation(store, link.id, joiner)).toEqual({ ok: true, teamId: "team-alpha", role: "editor", changed: false });
        expect(await acceptInvitation(store, link.id, joiner)).toEqual({ ok: true, teamId: "team-alpha", role: "editor", changed: false });
        expect((await getInvitation(store, link.id))!.invitation.useCount).toBe(1);
        const upgrade = await createInvitation(store, { teamId: "team-alpha", role: "owner", createdBy: owner, maxUses: 1, ttlMs: 60_000 });
        expect(await acceptInvitation(store, upgrade.id, joiner)).toEqual({ ok: true, teamId: "team-alpha", role: "owner", changed: true });
        expect(await getMembership(store, "team-alpha", joiner)).toEqual({ role: "owner" });
        const uses = first(await exec(store, (db, t) => db.select().from(t.invitationUses).where(eq(t.invitationUses.invitationId, upgrade.id)).limit(1)));
        expect(uses).toMatchObject({ userId: joiner, previousRole: "editor", role: "owner" });
        expect(await acceptInvitation(store, upgrade.id, late)).toEqual({ ok: false, reason: "used" });
        expect(await getMembership(store, "team-alpha", late)).toBeUndefined();
      });

      it("of several people racing for a link's last use, exactly one joins", async () => {
        const link = await createInvitation(store, { teamId: "team-beta", role: "commenter", createdBy: second, maxUses: 1, ttlMs: 60_000 });
        const racers = [third, joiner, late];
        const results = await Promise.all(racers.map((u) => acceptInvitation(store, link.id, u)));
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: "used" }, { ok: false, reason: "used" }]);
        const joined = await Promise.all(racers.map((u) => getMembership(store, "team-beta", u)));
        expect(joined.filter(Boolean)).toEqual([{ role: "commenter" }]);
        expect((await getInvitation(store, link.id))!.invitation.useCount).toBe(1);
      });
    });

    describe("blocks: fact library, quotes finder, search", () => {
      const editor = "user-blocks";
      const briefingRow = (id: string, teamId: string, title: string, lastEditedAt: Date, archivedAt: Date | null = null) => ({
        id,
        teamId,
        title,
        summitName: "S",
        city: "Astana",
        startDate: "2026-12-01",
        endDate: "2026-12-02",
        classification: "RESTRICTED",
        createdAt: now,
        updatedAt: now,
        lastEditedAt,
        archivedAt,
      });
      const quoteRow = (briefingId: string, teamId: string, blockId: string, position: number, speaker: string, country: string) => ({
        briefingId,
        teamId,
        blockId,
        position,
        text: `Words of ${speaker}`,
        speaker,
        speakerRole: "",
        country,
        date: "2026-11-01",
        source: "",
        lang: "en",
        translation: "",
      });
      /** A search row as each dialect's projection writes it (server/persistence/projection-store.ts and its pg twin): the body with its Turkish folds on SQLite. */
      async function indexForSearch(briefingId: string, title: string, body: string): Promise<void> {
        if (store.dialect === "pg") return replaceSearchRowPg(store.db, briefingId, title, body);
        const sqlite = store.db.$client;
        sqlite.transaction(() => replaceSearchRow(sqlite, briefingId, title, withTurkishFolds(body)))();
      }

      beforeAll(async () => {
        await createUser(store, { email: "blocks@example.org", name: "Blocks", passwordHash: "h", id: editor });
        await exec(store, (db, t) =>
          db
            .insert(t.briefings)
            .values([
              briefingRow("blk-old", "team-1", "Astana energy talks", new Date("2026-11-01T00:00:00Z")),
              briefingRow("blk-new", "team-1", "İstanbul follow-up", new Date("2026-11-20T00:00:00Z")),
              briefingRow("blk-archived", "team-1", "Archived Caspian note", new Date("2026-11-25T00:00:00Z"), now),
              briefingRow("blk-other", "team-2", "Other desk Caspian", new Date("2026-11-26T00:00:00Z")),
            ]),
        );
      });

      it("creates, finds, updates and lists library facts only within their team; text filters ignore case and take % literally", async () => {
        const gdp = await createLibraryFact(store, "team-1", { country: "KZ", label: "GDP", value: "262 bn", unit: "USD", asOf: "2025-12-31", source: "World Bank" }, editor, "fact-gdp");
        expect(gdp).toMatchObject({ id: "fact-gdp", teamId: "team-1", label: "GDP", updatedBy: editor });
        expect(gdp.updatedAt).toBeInstanceOf(Date);
        await createLibraryFact(store, "team-1", { country: "TR", label: "Inflation", value: "45%", unit: "", asOf: "2026-10-31", source: "TurkStat" }, null, "fact-infl");
        await createLibraryFact(store, "team-1", { country: "KZ", label: "Area", value: "2.7m", unit: "km²", asOf: "2020-01-01", source: "Census" }, editor, "fact-area");
        await createLibraryFact(store, "team-2", { country: "AZ", label: "GDP", value: "72 bn", unit: "USD", asOf: "2025-12-31", source: "IMF" }, editor, "fact-other");

        const ids = async (opts?: { q?: string; country?: string }) => (await listLibraryFacts(store, "team-1", opts)).map((f) => f.id);
        expect(await ids()).toEqual(["fact-area", "fact-gdp", "fact-infl"]); // by country, then label
        expect(await ids({ q: "gdp" })).toEqual(["fact-gdp"]); // label, whatever its case
        expect(await ids({ q: "world" })).toEqual(["fact-gdp"]); // source
        expect(await ids({ q: "kz" })).toEqual(["fact-area", "fact-gdp"]); // country code
        expect(await ids({ q: "45%" })).toEqual(["fact-infl"]);
        expect(await ids({ q: "%" })).toEqual(["fact-infl"]); // a literal percent sign, not "anything"
        expect(await ids({ q: "_" })).toEqual([]);
        expect(await ids({ country: "TR" })).toEqual(["fact-infl"]);
        expect(await ids({ q: "gdp", country: "TR" })).toEqual([]);
        expect(await listLibraryCountries(store, "team-1")).toEqual(["KZ", "TR"]);
        expect(await listLibraryCountries(store, "team-2")).toEqual(["AZ"]);

        expect(await getLibraryFact(store, "team-1", "fact-gdp")).toEqual(gdp);
        expect(await getLibraryFact(store, "team-2", "fact-gdp")).toBeUndefined(); // another team's id
        expect(await getLibraryFact(store, "team-1", "no-such-fact")).toBeUndefined();

        const input = { country: "KZ", label: "GDP", value: "270 bn", unit: "USD", asOf: "2026-06-30", source: "IMF" };
        expect(await updateLibraryFact(store, "team-2", "fact-gdp", input, editor)).toBeUndefined();
        expect((await getLibraryFact(store, "team-1", "fact-gdp"))?.value).toBe("262 bn");
        const updated = await updateLibraryFact(store, "team-1", "fact-gdp", input, editor);
        expect(updated).toMatchObject({ id: "fact-gdp", value: "270 bn", asOf: "2026-06-30", source: "IMF" });
        expect(await getLibraryFact(store, "team-1", "fact-gdp")).toEqual(updated);
      });

      it("finds quotes by a speaker's folded name and by country, newest briefing first, never from archived briefings or other teams", async () => {
        await exec(store, (db, t) =>
          db
            .insert(t.quotes)
            .values([
              quoteRow("blk-old", "team-1", "q-old-1", 1, "Mevlüt Çavuşoğlu", "TR"),
              quoteRow("blk-old", "team-1", "q-old-2", 2, "Mukhtar Tleuberdi", "KZ"),
              quoteRow("blk-new", "team-1", "q-new-2", 2, "Mevlüt Çavuşoğlu", "TR"),
              quoteRow("blk-new", "team-1", "q-new-1", 1, "Emre Yıldız", ""),
              quoteRow("blk-archived", "team-1", "q-arch", 1, "Mevlüt Çavuşoğlu", "TR"),
              quoteRow("blk-other", "team-2", "q-other", 1, "Mevlüt Çavuşoğlu", "AZ"),
            ]),
        );
        const blocks = async (opts?: { speaker?: string; country?: string }) => (await listTeamQuotes(store, "team-1", opts)).map((q) => q.blockId);
        expect(await blocks()).toEqual(["q-new-1", "q-new-2", "q-old-1", "q-old-2"]);
        expect(await blocks({ speaker: "cavusoglu" })).toEqual(["q-new-2", "q-old-1"]);
        expect(await blocks({ speaker: "YILDIZ" })).toEqual(["q-new-1"]); // ı typed as I
        expect(await blocks({ speaker: "nobody" })).toEqual([]);
        expect(await blocks({ country: "KZ" })).toEqual(["q-old-2"]);
        expect(await blocks({ speaker: "cavusoglu", country: "KZ" })).toEqual([]);
        expect((await listTeamQuotes(store, "team-1", { speaker: "Tleuberdi" }))[0]).toEqual({
          briefingId: "blk-old",
          briefingTitle: "Astana energy talks",
          blockId: "q-old-2",
          text: "Words of Mukhtar Tleuberdi",
          speaker: "Mukhtar Tleuberdi",
          speakerRole: "",
          country: "KZ",
          date: "2026-11-01",
          source: "",
          lang: "en",
          translation: "",
        });
        // Facets are of the team's quotes (archived briefings' included), without empty values.
        expect(await listQuoteFacets(store, "team-1")).toEqual({ speakers: ["Emre Yıldız", "Mevlüt Çavuşoğlu", "Mukhtar Tleuberdi"], countries: ["KZ", "TR"] });
        expect(await listQuoteFacets(store, "team-2")).toEqual({ speakers: ["Mevlüt Çavuşoğlu"], countries: ["AZ"] });
      });

      it("searches the team's unarchived briefings with folded words and marks the matches", async () => {
        await indexForSearch("blk-old", "Astana energy talks", "The Caspian pipeline, with remarks by Mevlüt Çavuşoğlu.");
        await indexForSearch("blk-new", "İstanbul follow-up", "Emre Yıldız reports on the Caspian corridor, back from Astana.");
        await indexForSearch("blk-archived", "Archived Caspian note", "Caspian corridor, archived.");
        await indexForSearch("blk-other", "Other desk Caspian", "Caspian corridor, another team.");
        const hits = async (q: string) => (await searchBriefings(store, "team-1", q)).map((h) => h.briefingId).sort();
        expect(await hits("caspian")).toEqual(["blk-new", "blk-old"]);
        expect(await hits("Cavusoglu")).toEqual(["blk-old"]);
        expect(await hits("istanbul")).toEqual(["blk-new"]);
        expect(await hits("yildiz corr")).toEqual(["blk-new"]); // every word, as a prefix
        expect(await hits("caspian nowhere")).toEqual([]);
        expect(await hits("  \"*(  ")).toEqual([]); // no words: no query, never a syntax error
        const [hit] = await searchBriefings(store, "team-1", "cavusoglu");
        expect(hit).toMatchObject({ briefingId: "blk-old", title: "Astana energy talks", titleHighlighted: "Astana energy talks", status: "draft" });
        expect(hit.snippet).toContain(`${MATCH_START}Çavuşoğlu${MATCH_END}`);
        // A match in the title ranks above one in the body on both (bm25 weights, tsvector weights A and B).
        const [titled, inBody] = await searchBriefings(store, "team-1", "astana");
        expect(titled.titleHighlighted).toBe(`${MATCH_START}Astana${MATCH_END} energy talks`);
        expect(inBody).toMatchObject({ briefingId: "blk-new", titleHighlighted: "İstanbul follow-up" });
        expect(inBody.snippet).toContain(`${MATCH_START}Astana${MATCH_END}`);
        expect(await searchBriefings(store, "team-1", "caspian", 1)).toHaveLength(1);
      });
    });

    describe("reviews: approvers, decisions and resets", () => {
      const [asker, ana, ben, viewer, leaver] = ["rv-asker", "rv-ana", "rv-ben", "rv-viewer", "rv-leaver"];
      const briefing = { id: "rv-brief", teamId: "team-1" };
      const decide = (userId: string, section: string, contentHash: string, decision: "approved" | "changes_requested" = "approved") =>
        saveReviewDecision(store, { briefingId: briefing.id, userId, section, decision, note: decision === "approved" ? "" : "Fix it", contentHash });

      beforeAll(async () => {
        for (const [id, name] of [[asker, "Asker"], [ana, "Ana"], [ben, "Ben"], [viewer, "Vic"], [leaver, "Lee"]]) {
          await createUser(store, { email: `${id}@example.org`, name, passwordHash: "h", id });
        }
        await exec(store, (db, t) =>
          db.insert(t.memberships).values([
            { teamId: "team-1", userId: asker, role: "editor", createdAt: now },
            { teamId: "team-1", userId: ana, role: "commenter", createdAt: now },
            { teamId: "team-1", userId: ben, role: "owner", createdAt: now },
            { teamId: "team-1", userId: viewer, role: "viewer", createdAt: now },
            { teamId: "team-2", userId: leaver, role: "editor", createdAt: now },
          ]),
        );
        await exec(store, (db, t) =>
          db.insert(t.briefings).values({ ...briefing, title: "Review me", summitName: "S", city: "Baku", startDate: "2026-12-01", endDate: "2026-12-02", classification: "RESTRICTED", createdAt: now, updatedAt: now, lastEditedAt: now }),
        );
        await exec(store, (db, t) =>
          db.insert(t.agendaTopics).values([
            { briefingId: briefing.id, blockId: "topic-b", teamId: "team-1", number: 2, title: "Energy", priority: "high", status: "open", owner: "", body: "" },
            { briefingId: briefing.id, blockId: "topic-a", teamId: "team-1", number: 1, title: "", priority: "low", status: "open", owner: "", body: "" },
          ]),
        );
      });

      it("starts a review, replacing the previous round with its decisions, and reads it back with the approvers' current roles", async () => {
        expect(await getReview(store, briefing)).toBeNull();
        expect(await getBriefingInReview(store, briefing.id)).toBeUndefined(); // a draft
        await startReview(store, briefing.id, asker, [ana, leaver], "2026-12-10");
        await decide(ana, "brief", "h1");
        await startReview(store, briefing.id, asker, [ben, ana], null);
        const review = await getReview(store, briefing);
        expect(review).toMatchObject({ requestedByName: "Asker", dueDate: null, decisions: [] });
        expect(review!.approvers).toEqual([
          { userId: ana, name: "Ana", role: "commenter" },
          { userId: ben, name: "Ben", role: "owner" },
        ]);
        expect(typeof review!.requestedAt).toBe("number");

        // Inside a caller's transaction that fails, nothing of it stays.
        await expect(
          withTransaction(store, async (tx) => {
            await startReview(tx, briefing.id, asker, [leaver], "2027-01-01");
            throw new Error("the status change failed");
          }),
        ).rejects.toThrow("the status change failed");
        expect((await getReview(store, briefing))!.approvers.map((a) => a.userId)).toEqual([ana, ben]);

        await startReview(store, briefing.id, asker, [leaver], null);
        expect((await getReview(store, briefing))!.approvers).toEqual([{ userId: leaver, name: "Lee", role: null }]); // not in this team
        await startReview(store, briefing.id, asker, [ana, ben], "2026-12-10");
      });

      it("lists the team's members among the named ids, and the projected topics in number order", async () => {
        const found = await listTeamMembersAmong(store, "team-1", [ana, viewer, leaver, "nobody"]);
        expect(found.sort((a, b) => a.userId.localeCompare(b.userId))).toEqual([
          { userId: ana, role: "commenter", name: "Ana" },
          { userId: viewer, role: "viewer", name: "Vic" },
        ]);
        expect(await listTeamMembersAmong(store, "team-1", [])).toEqual([]);
        expect(await listReviewTopics(store, briefing.id)).toEqual([
          { blockId: "topic-a", number: 1, title: "" },
          { blockId: "topic-b", number: 2, title: "Energy" },
        ]);
      });

      it("records one decision per approver and section, and resets an approval only while it holds the hash read as stale", async () => {
        await exec(store, (db, t) => db.update(t.briefings).set({ status: "in_review" }).where(eq(t.briefings.id, briefing.id)));
        expect(await getBriefingInReview(store, briefing.id)).toEqual({ id: briefing.id, title: "Review me" });
        expect(await getBriefingInReview(store, "no-such-briefing")).toBeUndefined();
        expect(await hasApprovals(store, briefing.id)).toBe(false);

        await decide(ben, "topic-a", "a1", "changes_requested");
        expect(await hasApprovals(store, briefing.id)).toBe(false); // a request for changes is not an approval
        await decide(ben, "topic-a", "a1");
        await decide(ana, "brief", "b1");
        await decide(ana, "topic-b", "t1");
        expect(await hasApprovals(store, briefing.id)).toBe(true);
        const decisions = (await getReview(store, briefing))!.decisions;
        expect(decisions).toHaveLength(3); // the second decision on topic-a replaced the first
        expect(decisions.find((d) => d.userId === ben)).toMatchObject({ section: "topic-a", decision: "approved", note: "", contentHash: "a1" });
        expect(decisions[0].decidedAt).toBeInstanceOf(Date);

        const stale = (await listApprovals(store, briefing.id)).find((d) => d.userId === ana && d.section === "brief")!;
        expect(stale.contentHash).toBe("b1");
        await decide(ana, "brief", "b2"); // Ana approves the edited brief before the reset runs
        expect(await resetApproval(store, stale)).toBe(false);
        expect((await listApprovals(store, briefing.id)).find((d) => d.userId === ana && d.section === "brief")?.contentHash).toBe("b2");

        const topic = (await listApprovals(store, briefing.id)).find((d) => d.section === "topic-b")!;
        const twice = await Promise.all([resetApproval(store, topic), resetApproval(store, topic)]);
        expect(twice.sort()).toEqual([false, true]); // of two overlapping resets, one removes it
        expect((await listApprovals(store, briefing.id)).map((d) => `${d.userId}:${d.section}`).sort()).toEqual([`${ana}:brief`, `${ben}:topic-a`]);
      });

      it("an edit resets exactly the approvals of the sections whose hash changed and tells each approver once", async () => {
        const hashes = {
          brief: "b2",
          topics: [
            { blockId: "topic-a", number: 1, title: "", hash: "a-edited" },
            { blockId: "topic-b", number: 2, title: "Energy", hash: "t1" },
          ],
        };
        const counts = await Promise.all([resetChangedApprovals(store, { id: briefing.id, title: "Review me" }, hashes), resetChangedApprovals(store, { id: briefing.id, title: "Review me" }, hashes)]);
        expect(counts.sort()).toEqual([0, 1]);
        expect((await listApprovals(store, briefing.id)).map((d) => `${d.userId}:${d.section}`)).toEqual([`${ana}:brief`]);
        const told = (await listNotifications(store, ben, 50)).filter((n) => n.kind === "approval_reset");
        expect(told).toHaveLength(1);
        expect(told[0]).toMatchObject({ link: `/briefings/${briefing.id}#block-topic-a`, read: false });
        expect(told[0].text).toContain("was edited");
        expect((await listNotifications(store, ana, 50)).filter((n) => n.kind === "approval_reset")).toEqual([]);
      });
    });
  });
}
