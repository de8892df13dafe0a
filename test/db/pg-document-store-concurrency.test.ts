import type pg from "pg";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storedChecksum } from "../../db/checksum";
import { openPostgres, type PgDb } from "../../db/pg/client";
import type { DocumentStore, StoredDocument } from "../../server/persistence/document-store";
import { COMPACTION_LOCK_KEY, createPgDocumentStore } from "../../server/persistence/pg-document-store";
import { insertPgBriefing, pgClient, pgDatabase } from "../helpers/document-stores";
import { postgresAvailable, type TestPostgres } from "../helpers/postgres";

const hasPostgres = postgresAvailable();

function edit(key: string, text: string, clientId: number): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  doc.getText(key).insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

function content(updates: StoredDocument | Uint8Array[], keys: string[]): Record<string, string> {
  const doc = new Y.Doc();
  for (const u of Array.isArray(updates) ? updates : updates.updates) Y.applyUpdate(doc, u);
  return Object.fromEntries(keys.map((k) => [k, doc.getText(k).toString()]));
}

const pending = (update: Uint8Array) => ({ update, userId: null, receivedAt: new Date() });

/** Polls `check` until it holds; a busy machine gets a generous deadline, never a fixed sleep. */
async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Tracks whether a promise has settled, to assert that a compaction is still waiting. */
function track<T>(p: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let done = false;
  const promise = p.finally(() => {
    done = true;
  });
  return { promise, settled: () => done };
}

/**
 * Several instances (0109) on one PostgreSQL database: each "instance" is a pool of its own with a
 * store of its own, and the interleavings are forced with locks a test connection holds, observed in
 * pg_stat_activity and pg_locks (ADR 0111, "Compaction on PostgreSQL").
 */
describe.skipIf(!hasPostgres)("PostgreSQL document store under concurrent instances", () => {
  let database: TestPostgres;
  let main: PgDb;
  const pools: PgDb[] = [];
  const clients: pg.Client[] = [];
  let instance: DocumentStore[];

  beforeAll(async () => {
    ({ pg: database, db: main } = await pgDatabase());
    for (let i = 0; i < 3; i++) pools.push(openPostgres(database.url, { max: 3 }));
    instance = pools.map((p) => createPgDocumentStore(p));
  });
  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => {});
    for (const p of pools) await p.$client.end();
    await main?.$client.end();
    await database?.drop();
  });

  const client = async () => {
    const c = await pgClient(database.url);
    clients.push(c);
    return c;
  };
  const logIds = async (id: string) =>
    (await main.$client.query("select id from document_updates where briefing_id = $1 order by id", [id])).rows.map((r) => Number(r.id));

  it("keeps an append with a lower id that commits after the compaction read the log, and the next load has it", async () => {
    const id = await insertPgBriefing(main);
    const seed = edit("body", "Seed", 1);
    await instance[0].create(id, seed);

    // An append of another instance that got its identity id and has not committed yet.
    const slow = await client();
    await slow.query("begin");
    const low = edit("low", "held back", 2);
    const lowId = Number(
      (
        await slow.query('insert into document_updates (briefing_id, "update", checksum, created_at) values ($1, $2, $3, now()) returning id', [
          id,
          Buffer.from(low),
          storedChecksum(low),
        ])
      ).rows[0].id,
    );
    const high = edit("high", "committed", 3);
    await instance[1].append(id, [pending(high)]);
    const [highId] = (await logIds(id)).filter((n) => n !== lowId);
    expect(highId).toBeGreaterThan(lowId);

    // Hold the snapshot row, so the compaction stops at its write, after it read the log.
    const holder = await client();
    await holder.query("begin");
    await holder.query("select 1 from document_snapshots where briefing_id = $1 for update", [id]);
    const compaction = track(instance[0].compact(id, Y.mergeUpdates([seed, high])));
    await waitFor("the compaction to wait at its snapshot write", async () => {
      const r = await main.$client.query(
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like 'insert into document_snapshots%'",
      );
      return r.rows[0].n === 1;
    });

    await slow.query("commit"); // the lower id commits between the compaction's read and its delete
    await holder.query("commit");
    await compaction.promise;

    expect(await logIds(id)).toEqual([lowId]);
    const loaded = await instance[2].load(id);
    expect(loaded.logLength).toBe(1);
    expect(content(loaded, ["body", "low", "high"])).toEqual({ body: "Seed", low: "held back", high: "committed" });

    // The next compaction folds it.
    await instance[2].compact(id, Y.mergeUpdates([seed, high]));
    expect(await logIds(id)).toEqual([]);
    expect(content(await instance[0].load(id), ["body", "low", "high"])).toEqual({ body: "Seed", low: "held back", high: "committed" });
  });

  it("serialises two compactions of one briefing on the advisory lock, and neither loses a concurrent append", async () => {
    const id = await insertPgBriefing(main);
    const seed = edit("body", "Seed", 10);
    await instance[0].create(id, seed);
    // Each instance's room holds its own edit; the other's is still on its way.
    const editA = edit("a", "from instance A", 11);
    const editB = edit("b", "from instance B", 12);
    await instance[0].append(id, [pending(editA)]);
    await instance[1].append(id, [pending(editB)]);
    const snapshotBefore = (await main.$client.query("select state from document_snapshots where briefing_id = $1", [id])).rows[0].state as Buffer;

    const holder = await client();
    await holder.query("select pg_advisory_lock($1, hashtext($2))", [COMPACTION_LOCK_KEY, id]);
    const first = track(instance[0].compact(id, Y.mergeUpdates([seed, editA])));
    const second = track(instance[1].compact(id, Y.mergeUpdates([seed, editB])));
    await waitFor("both compactions to queue on the briefing's lock", async () => {
      const r = await main.$client.query(
        `select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and classid = $1
           and database = (select oid from pg_database where datname = current_database())`,
        [COMPACTION_LOCK_KEY],
      );
      return r.rows[0].n === 2;
    });

    // A third instance appends while both wait: appends take no lock.
    const third = edit("c", "from instance C", 13);
    await instance[2].append(id, [pending(third)]);
    expect(first.settled() || second.settled()).toBe(false);
    const snapshotWhileLocked = (await main.$client.query("select state from document_snapshots where briefing_id = $1", [id])).rows[0].state as Buffer;
    expect(Buffer.compare(snapshotWhileLocked, snapshotBefore)).toBe(0);

    await holder.query("select pg_advisory_unlock($1, hashtext($2))", [COMPACTION_LOCK_KEY, id]);
    await Promise.all([first.promise, second.promise]);

    const keys = ["body", "a", "b", "c"];
    const expected = { body: "Seed", a: "from instance A", b: "from instance B", c: "from instance C" };
    expect(content(await instance[2].load(id), keys)).toEqual(expected);
    // The later compaction found the earlier one's snapshot under the lock and folded the third append too.
    expect(await logIds(id)).toEqual([]);
  });

  it("a compaction that finds another instance's newer snapshot under the lock merges it instead of writing over it", async () => {
    const id = await insertPgBriefing(main);
    const seed = edit("body", "Seed", 40);
    await instance[0].create(id, seed);
    const mine = edit("mine", "this room's", 41);
    await instance[0].append(id, [pending(mine)]);

    // Another instance holds the lock; this compaction reads the log and queues behind it.
    const other = await client();
    await other.query("select pg_advisory_lock($1, hashtext($2))", [COMPACTION_LOCK_KEY, id]);
    const compaction = track(instance[0].compact(id, Y.mergeUpdates([seed, mine])));
    await waitFor("the compaction to queue on the briefing's lock", async () => {
      const r = await main.$client.query("select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and classid = $1", [COMPACTION_LOCK_KEY]);
      return r.rows[0].n === 1;
    });

    // Meanwhile an append arrives, and the other instance folds it (and everything else) into a
    // snapshot of its own and deletes the rows, as its compaction does, before it lets go.
    const late = edit("late", "appended after the read", 42);
    await instance[1].append(id, [pending(late)]);
    const folded = Buffer.from(Y.mergeUpdates([seed, mine, late]));
    await other.query("begin");
    await other.query("update document_snapshots set state = $1, checksum = $2, last_update_id = (select max(id) from document_updates where briefing_id = $3) where briefing_id = $3", [
      folded,
      storedChecksum(folded),
      id,
    ]);
    await other.query("delete from document_updates where briefing_id = $1", [id]);
    await other.query("commit");
    expect(compaction.settled()).toBe(false);
    await other.query("select pg_advisory_unlock($1, hashtext($2))", [COMPACTION_LOCK_KEY, id]);
    await compaction.promise;

    expect(content(await instance[1].load(id), ["body", "mine", "late"])).toEqual({ body: "Seed", mine: "this room's", late: "appended after the read" });
  });

  it("appends from several instances during repeated compactions: the stored document is the union of every update", async () => {
    const id = await insertPgBriefing(main);
    await instance[0].create(id, edit("seed", "Seed", 20));
    const WRITERS = 3;
    const EDITS = 30;
    let writing = true;

    const writer = async (w: number) => {
      const doc = new Y.Doc();
      doc.clientID = 100 + w;
      const queued: Uint8Array[] = [];
      doc.on("update", (u: Uint8Array) => queued.push(u));
      const text = doc.getText(`w${w}`);
      for (let i = 0; i < EDITS; i++) {
        text.insert(text.length, `${w}.${i};`);
        // Every third flush carries two updates, as a group-commit tick does.
        if (i % 3 !== 0) await instance[w].append(id, queued.splice(0).map(pending));
      }
      if (queued.length > 0) await instance[w].append(id, queued.splice(0).map(pending));
      return text.toString();
    };
    const compactions = [0, 0];
    const compactor = async (c: number) => {
      // A room loads what is stored and compacts its state, like an instance that just opened it.
      while (writing || compactions[c] < 3) {
        const room = new Y.Doc();
        for (const u of (await instance[c].load(id)).updates) Y.applyUpdate(room, u);
        await instance[c].compact(id, Y.encodeStateAsUpdate(room));
        compactions[c]++;
      }
    };

    const compacting = Promise.all([compactor(0), compactor(1)]);
    const written = await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    writing = false;
    await compacting;
    expect(compactions.every((n) => n >= 3)).toBe(true);

    const keys = ["seed", ...written.map((_, w) => `w${w}`)];
    const expected = { seed: "Seed", ...Object.fromEntries(written.map((t, w) => [`w${w}`, t])) };
    expect(written[0]).toContain(`0.${EDITS - 1};`);
    expect(content(await instance[2].load(id), keys)).toEqual(expected);
    const room = new Y.Doc();
    for (const u of (await instance[2].load(id)).updates) Y.applyUpdate(room, u);
    await instance[2].compact(id, Y.encodeStateAsUpdate(room));
    const final = await instance[0].load(id);
    expect(final.logLength).toBe(0);
    expect(content(final, keys)).toEqual(expected);
  });
});
