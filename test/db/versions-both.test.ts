import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBriefing } from "../../db/queries/briefings";
import { createTeam } from "../../db/queries/teams";
import { createUser } from "../../db/queries/users";
import { changeStatusIfStill, FinalVersionTakenError, getClearance, getVersion, insertFinalVersion, isFinalVersionTaken, listClearances, listVersions, type NewFinalVersion } from "../../db/queries/versions";
import { newId } from "../../db/ids";
import type { ClearanceRecord } from "../../db/schema";
import { exec, rows, withTransaction, type Store } from "../../db/store";
import { testDialects, type TestStore } from "../helpers/stores";
import { eventually } from "../helpers/yclient";

/**
 * Final versions and clearance records (db/queries/versions.ts, docs/decisions/0509) on a real
 * SQLite file and a real PostgreSQL database: written, listed and read back the same on both; of
 * two finalizes of one briefing that overlap, the second finds the status changed and writes nothing;
 * the unique index on (briefing_id, version) refuses a second row with one number, and a writer that
 * skipped the status write gets FinalVersionTakenError, never a second version with that number.
 */

const record = (name: string): ClearanceRecord => ({ finalizedByName: name, finalizedAt: Date.UTC(2026, 11, 1), entries: [{ approverName: "Dana", section: "Whole brief", decision: "approved", at: Date.UTC(2026, 10, 30), note: "Cleared" }], override: null });

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

for (const dialect of testDialects()) {
  describe.skipIf(!dialect.available)(`final versions on ${dialect.name}`, () => {
    let ts: TestStore;
    let store: Store;
    let briefingId: string;
    let userId: string;
    const input = (hash: string): NewFinalVersion => ({
      briefingId,
      snapshot: Buffer.from([1, 2, 3, 0, 255]),
      contentHash: hash,
      title: "Summit",
      details: { city: "Ankara", summitName: "Summit" },
      createdBy: userId,
      createdAt: new Date("2026-12-01T10:00:00.000Z"),
      clearance: record("Emre"),
    });
    const setStatus = (status: "in_review" | "final") => exec(store, (db, t) => db.update(t.briefings).set({ status }).where(eq(t.briefings.id, briefingId)));

    /** One finalize: the conditional status write first, then the version, as changeBriefingStatus does. */
    const finalize = (hash: string, afterStatus?: () => Promise<void>) =>
      withTransaction(store, async (tx) => {
        if (!(await changeStatusIfStill(tx, briefingId, "in_review", "final", new Date()))) return null;
        await afterStatus?.();
        return insertFinalVersion(tx, input(hash));
      });

    beforeAll(async () => {
      ts = await dialect.open();
      store = ts.store;
      userId = (await createUser(store, { email: "emre@example.test", name: "Emre", passwordHash: "h" })).id;
      const team = await createTeam(store, "Desk", userId);
      briefingId = (await createBriefing(store, team.id, { title: "Summit", summitName: "Summit", city: "Ankara", startDate: "2026-12-14", endDate: "2026-12-15", classification: "RESTRICTED" }, userId)).id;
    });
    afterAll(async () => ts?.close());

    it("writes a final version with its clearance record and reads them back", async () => {
      expect(await getVersion(store, briefingId, null)).toBeUndefined();
      expect(await changeStatusIfStill(store, briefingId, "final", "draft", new Date())).toBe(false);
      await setStatus("in_review");
      expect(await finalize("hash-1")).toBe(1);
      const v1 = await getVersion(store, briefingId, 1);
      expect(v1).toMatchObject({ version: 1, contentHash: "hash-1", title: "Summit", details: { city: "Ankara", summitName: "Summit" }, createdByName: "Emre" });
      expect(Buffer.compare(v1!.snapshot, Buffer.from([1, 2, 3, 0, 255]))).toBe(0);
      expect(v1!.createdAt.toISOString()).toBe("2026-12-01T10:00:00.000Z");
      expect(await getClearance(store, briefingId, 1)).toEqual(record("Emre"));
      expect(await getClearance(store, briefingId, 2)).toBeNull();

      await setStatus("in_review");
      expect(await finalize("hash-2")).toBe(2);
      expect((await getVersion(store, briefingId, null))?.contentHash).toBe("hash-2");
      expect(await getVersion(store, briefingId, 3)).toBeUndefined();
      expect((await listVersions(store, briefingId)).map((v) => [v.version, v.contentHash, v.createdByName])).toEqual([
        [2, "hash-2", "Emre"],
        [1, "hash-1", "Emre"],
      ]);
      expect((await listClearances(store, briefingId)).map((c) => c.version)).toEqual([2, 1]);
    });

    it("lets only the first of two finalizes that both read the briefing in review write a version", async () => {
      await setStatus("in_review");
      if (store.dialect === "pg") {
        // Overlapping transactions: the second's status update waits for the first's row lock,
        // then finds the status changed.
        const statusWritten = deferred();
        const release = deferred();
        const first = finalize("hash-a", async () => {
          statusWritten.resolve();
          await release.promise;
        });
        await statusWritten.promise;
        const second = finalize("hash-b");
        await eventually(async () => {
          const waiting = await rows<{ n: number }>(store, sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like 'update "briefings"%'`);
          expect(waiting[0].n).toBe(1);
        }, 10_000, 20);
        release.resolve();
        expect(await Promise.all([first, second])).toEqual([3, null]);
      } else {
        // SQLite transactions never overlap on the one connection: the second runs after the first
        // committed, with the status its request read before.
        expect(await finalize("hash-a")).toBe(3);
        expect(await finalize("hash-b")).toBeNull();
      }
      expect((await listVersions(store, briefingId)).map((v) => v.version)).toEqual([3, 2, 1]);
      expect((await getVersion(store, briefingId, null))?.contentHash).toBe("hash-a");
    });

    it("refuses a second row with one number, and a writer without the status lock gets FinalVersionTakenError", async () => {
      const { clearance: _c, ...row } = input("duplicate");
      const duplicate = await exec(store, (db, t) => db.insert(t.briefingVersions).values({ id: newId(), ...row, version: 3 })).catch((err: unknown) => err);
      expect(isFinalVersionTaken(duplicate)).toBe(true);

      // Two writers that both read 3 as the highest number before either wrote its row.
      let outcomes: PromiseSettledResult<number>[];
      if (store.dialect === "pg") {
        const inserted = deferred();
        const release = deferred();
        const first = withTransaction(store, async (tx) => {
          const n = await insertFinalVersion(tx, input("race-a"));
          inserted.resolve();
          await release.promise;
          return n;
        });
        await inserted.promise;
        // Reads 3 (the first's row is not committed) and waits on the index for the first's commit.
        const second = withTransaction(store, (tx) => insertFinalVersion(tx, input("race-b")));
        await eventually(async () => {
          const waiting = await rows<{ n: number }>(store, sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like 'insert into "briefing_versions"%'`);
          expect(waiting[0].n).toBe(1);
        }, 10_000, 20);
        release.resolve();
        outcomes = await Promise.allSettled([first, second]);
      } else {
        // Outside a transaction each statement takes the connection on its own, so both reads run
        // before either insert.
        outcomes = await Promise.allSettled([insertFinalVersion(store, input("race-a")), insertFinalVersion(store, input("race-b"))]);
      }
      expect(outcomes[0]).toEqual({ status: "fulfilled", value: 4 });
      expect(outcomes[1].status).toBe("rejected");
      const refused = (outcomes[1] as PromiseRejectedResult).reason as unknown;
      expect(refused).toBeInstanceOf(FinalVersionTakenError);
      expect(refused).toMatchObject({ briefingId, version: 4 });
      expect((await listVersions(store, briefingId)).map((v) => [v.version, v.contentHash])).toEqual([
        [4, "race-a"],
        [3, "hash-a"],
        [2, "hash-2"],
        [1, "hash-1"],
      ]);
      expect((await listClearances(store, briefingId)).map((c) => c.version)).toEqual([4, 3, 2, 1]);
    });
  });
}
