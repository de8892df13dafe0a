import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { openDatabase } from "../../db/client";
import { openPgStore, openSqliteStore, type Store } from "../../db/store";
import { isStoredDocumentCorrupt } from "../../server/persistence/corruption";
import { createVersionStore, inProcessEncoder, type NewVersion, type VersionEncoder } from "../../server/history/version-store";
import { insertPgBriefing, insertSqliteBriefing, pgDatabase, sqliteDatabase, USER_ID } from "../helpers/document-stores";
import { postgresAvailable } from "../helpers/postgres";

const hasPostgres = postgresAvailable();

/**
 * The version store on a real SQLite file and a real PostgreSQL database (ADR 0111, 0121): the
 * same calls give the same numbers, rows, rebuilt states and refusals on both, and two recorders
 * on separate connections (two processes on one file, two instances on one database) never take
 * the same number or leave a gap.
 */
interface Harness {
  /** A store on a connection of its own (another process or instance). */
  open(): Store;
  newBriefing(): Promise<string>;
  /** Breaks the stored checksum of one version's row. */
  damage(briefingId: string, seq: number): Promise<void>;
  /** How many rows the briefing has. */
  count(briefingId: string): Promise<number>;
  close(): Promise<void>;
}

async function sqliteHarness(): Promise<Harness> {
  const db = sqliteDatabase();
  const file = db.$client.name;
  const others: { close(): void }[] = [];
  return {
    open() {
      const other = openDatabase(file);
      others.push(other.$client);
      return openSqliteStore(other);
    },
    newBriefing: async () => insertSqliteBriefing(db),
    async damage(briefingId, seq) {
      db.$client.prepare("update document_versions set checksum = checksum + 1 where briefing_id = ? and seq = ?").run(briefingId, seq);
    },
    count: async (briefingId) => (db.$client.prepare("select count(*) as n from document_versions where briefing_id = ?").get(briefingId) as { n: number }).n,
    async close() {
      for (const o of others) o.close();
      db.$client.close();
    },
  };
}

async function pgHarness(): Promise<Harness> {
  const { pg, db } = await pgDatabase();
  const others: Store[] = [];
  return {
    open() {
      const store = openPgStore(pg.url, { max: 2 });
      others.push(store);
      return store;
    },
    newBriefing: () => insertPgBriefing(db),
    async damage(briefingId, seq) {
      await db.$client.query("update document_versions set checksum = checksum + 1 where briefing_id = $1 and seq = $2", [briefingId, seq]);
    },
    count: async (briefingId) => Number((await db.$client.query("select count(*) as n from document_versions where briefing_id = $1", [briefingId])).rows[0].n),
    async close() {
      for (const s of others) if (s.dialect === "pg") await s.db.$client.end();
      await db.$client.end();
      await pg.drop();
    },
  };
}

const dialects = [
  { name: "SQLite", open: sqliteHarness, skip: false },
  { name: "PostgreSQL", open: pgHarness, skip: !hasPostgres },
];

const version = (state: Uint8Array, extra: Partial<NewVersion> = {}): NewVersion => ({
  kind: "auto",
  name: null,
  authors: [USER_ID],
  clients: { "7": USER_ID },
  changeBytes: 12,
  state,
  createdBy: null,
  ...extra,
});

const textOf = (state: Uint8Array | null) => {
  const doc = new Y.Doc();
  if (state) Y.applyUpdate(doc, state);
  return doc.getText("t").toString();
};

describe.each(dialects)("version store on $name", ({ open, skip }) => {
  let h: Harness;
  beforeAll(async () => {
    if (!skip) h = await open();
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it.skipIf(skip)("records versions numbered from 1 and lists, gets and counts them as stored", async () => {
    const store = createVersionStore(h.open(), 50);
    const id = await h.newBriefing();
    const doc = new Y.Doc();
    doc.getText("t").insert(0, "First draft");
    const first = await store.record(id, version(Y.encodeStateAsUpdate(doc)));
    doc.getText("t").insert(11, " of the brief");
    const before = Date.now();
    const second = await store.record(id, version(Y.encodeStateAsUpdate(doc), { kind: "named", name: "For the minister", createdBy: USER_ID, finalVersion: 3 }));

    expect(first).toMatchObject({ seq: 1, kind: "auto", isFull: true, authors: [USER_ID], clients: { "7": USER_ID }, changeBytes: 12, finalVersion: null, createdBy: null });
    expect(second).toMatchObject({ seq: 2, kind: "named", name: "For the minister", isFull: false, createdBy: USER_ID, finalVersion: 3 });
    expect(second.createdAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(Buffer.from(second.stateVector!)).toEqual(Buffer.from(Y.encodeStateVector(doc)));
    expect(second.storedBytes).toBeGreaterThan(0);

    expect((await store.list(id)).map((v) => v.seq)).toEqual([2, 1]);
    expect(await store.get(id, 2)).toEqual(second);
    expect(await store.get(id, 3)).toBeNull();
    expect((await store.after(id, 1)).map((v) => v.seq)).toEqual([2]);
    expect(await store.latestSeq(id)).toBe(2);
    expect(await store.lastAt(id)).toBe(second.createdAt.getTime());
    expect(await store.storedBytes(id)).toBe(first.storedBytes + second.storedBytes);
    expect(await store.latestSeq("no-such-briefing")).toBe(0);
    expect(await store.storedBytes("no-such-briefing")).toBe(0);
    expect(await store.list("no-such-briefing")).toEqual([]);
  });

  it.skipIf(skip)("rebuilds every version from its last full row and the deltas after it", async () => {
    const store = createVersionStore(h.open(), 3);
    const id = await h.newBriefing();
    const doc = new Y.Doc();
    const texts: string[] = [];
    for (let i = 1; i <= 7; i++) {
      const t = doc.getText("t");
      if (i === 5) t.delete(0, 3); // a deletion travels in the delta's delete set
      t.insert(t.length, ` v${i}`);
      texts.push(t.toString());
      await store.record(id, version(Y.encodeStateAsUpdate(doc)));
    }
    // A full state every third version: 1, 4, 7.
    expect((await store.list(id)).reverse().map((v) => v.isFull)).toEqual([true, false, false, true, false, false, true]);
    for (let seq = 1; seq <= 7; seq++) expect(textOf(await store.state(id, seq))).toBe(texts[seq - 1]);
    expect(await store.fullSeq(id, 6)).toBe(4);
    // The chain that rebuilds 6 starting from 2's full row: rows 1 to 6.
    const chain = (await store.updates(id, 6, 2))!;
    expect(chain).toHaveLength(6);
    const rebuilt = new Y.Doc();
    chain.forEach((u) => Y.applyUpdate(rebuilt, u));
    expect(rebuilt.getText("t").toString()).toBe(texts[5]);
    expect((await store.rows(id, 2, 3)).map((r) => r.seq)).toEqual([2, 3]);
    expect(await store.state(id, 8)).toBeNull();
    expect(await store.updates(id, 8, 1)).toBeNull();
  });

  it.skipIf(skip)("refuses a row whose checksum does not match with StoredDocumentCorruptError", async () => {
    const store = createVersionStore(h.open(), 50);
    const id = await h.newBriefing();
    const doc = new Y.Doc();
    for (const word of ["one", " two", " three"]) {
      doc.getText("t").insert(doc.getText("t").length, word);
      await store.record(id, version(Y.encodeStateAsUpdate(doc)));
    }
    await h.damage(id, 2);
    expect(textOf(await store.state(id, 1))).toBe("one");
    const err = await store.state(id, 3).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isStoredDocumentCorrupt(err)).toBe(true);
    expect(err).toMatchObject({ briefingId: id, kind: "history" });
    expect((err as Error).message).toMatch(/version 2: checksum \d+ does not match/);
    await expect(store.rows(id, 1, 3)).rejects.toMatchObject({ kind: "history" });
  });

  it.skipIf(skip)("two recorders on separate connections take distinct, consecutive numbers, and the loser plans again", async () => {
    const id = await h.newBriefing();
    const a = createVersionStore(h.open(), 50);
    const b = createVersionStore(h.open(), 50);
    // Both first encodes wait for each other, so both plan number 1 before either inserts it.
    let arrived = 0;
    let release!: () => void;
    const bothPlanned = new Promise<void>((r) => (release = r));
    const forgotten: number[] = [];
    const encoder = (): VersionEncoder => {
      let first = true;
      return {
        async encode(briefingId, seq, state, prevVector) {
          if (first) {
            first = false;
            if (++arrived === 2) release();
            await bothPlanned;
          }
          return inProcessEncoder.encode(briefingId, seq, state, prevVector);
        },
        forget: (_b, seq) => void forgotten.push(seq),
      };
    };
    // One document both instances hold (kept in sync, as through the bus): each version adds keys.
    const doc = new Y.Doc();
    const keys = doc.getMap<boolean>("k");
    const recorded: { seq: number; keys: string[] }[] = [];
    const recorder = async (store: typeof a, name: string) => {
      const enc = encoder();
      for (let i = 0; i < 3; i++) {
        keys.set(`${name}${i}`, true);
        const had = [...keys.keys()];
        const info = await store.record(id, version(Y.encodeStateAsUpdate(doc)), enc);
        recorded.push({ seq: info.seq, keys: had });
      }
    };
    await Promise.all([recorder(a, "a"), recorder(b, "b")]);

    expect(recorded.map((r) => r.seq).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await h.count(id)).toBe(6);
    expect(forgotten).toContain(1);
    // Every version rebuilds with at least the content it was recorded with (a delta never loses a change).
    for (const r of recorded) {
      const rebuilt = new Y.Doc();
      Y.applyUpdate(rebuilt, (await a.state(id, r.seq))!);
      const have = new Set(rebuilt.getMap("k").keys());
      for (const k of r.keys) expect(have.has(k), `version ${r.seq} has ${k}`).toBe(true);
    }
  }, 60_000);
});
