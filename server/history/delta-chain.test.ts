import path from "node:path";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { openSqliteStore } from "../../db/store";
import { migrateDatabase } from "../../db/migrate";
import { COLLAB_FIELD } from "../../extensions";
import { tempDir } from "../../test/helpers/server";
import { compareRendered } from "./compare";
import { withoutRepeatedDeletes } from "./delta-chain";
import { createHistoryEngine } from "./engine";
import { renderDoc } from "./rendered";
import { createVersionStore, inProcessEncoder } from "./version-store";

const WORDS = "the delegation will raise transit corridors energy cooperation".split(" ");

/**
 * Three writers editing one brief, each on its own Y.Doc, exchanging their updates only when a
 * version is taken (so their edits between versions are concurrent): inserts and deletions of
 * characters at random places, new and deleted paragraphs, and changed block attributes.
 */
function writers(seed: number) {
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pick = (n: number) => Math.floor(random() * n);
  const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
  docs[0].getXmlFragment(COLLAB_FIELD).insert(
    0,
    Array.from({ length: 12 }, () => {
      const p = new Y.XmlElement("paragraph");
      p.insert(0, [new Y.XmlText(Array.from({ length: 8 }, () => WORDS[pick(WORDS.length)]).join(" "))]);
      return p;
    }),
  );
  const sync = () => {
    const merged = Y.mergeUpdates(docs.map((d) => Y.encodeStateAsUpdate(d)));
    docs.forEach((d) => Y.applyUpdate(d, merged));
  };
  sync();
  const edit = (doc: Y.Doc) => {
    const frag = doc.getXmlFragment(COLLAB_FIELD);
    const roll = random();
    if (roll < 0.03 && frag.length > 4) frag.delete(pick(frag.length), 1);
    else if (roll < 0.06) {
      const p = new Y.XmlElement("paragraph");
      p.insert(0, [new Y.XmlText(WORDS[pick(WORDS.length)])]);
      frag.insert(pick(frag.length + 1), [p]);
    } else if (roll < 0.1) (frag.get(pick(frag.length)) as Y.XmlElement).setAttribute("blockId", `b${pick(1000)}`);
    else {
      const t = (frag.get(pick(frag.length)) as Y.XmlElement).get(0) as Y.XmlText;
      if (roll < 0.4 && t.length > 3) t.delete(pick(t.length - 2), 1 + pick(2));
      else t.insert(pick(t.length + 1), WORDS[pick(WORDS.length)].slice(0, 1 + pick(4)));
    }
  };
  return { docs, sync, edit: () => edit(docs[pick(3)]) };
}

/** The old rebuild: every row applied whole, the older version rendered after its rows, then the newer. */
function rebuildWhole(chain: Uint8Array[], olderCount: number) {
  const doc = new Y.Doc();
  doc.transact(() => chain.slice(0, olderCount).forEach((u) => Y.applyUpdate(doc, u)));
  const older = snapshotOf(doc);
  doc.transact(() => chain.slice(olderCount).forEach((u) => Y.applyUpdate(doc, u)));
  return [older, snapshotOf(doc)];
}

function rebuildLean(chain: Uint8Array[], olderCount: number) {
  const rows = withoutRepeatedDeletes(chain, [olderCount - 1, chain.length - 1]);
  return rebuildWhole(rows, olderCount);
}

/** What a rebuilt version is: its content, its rendered form (with every character's id), its delete set, its state. */
function snapshotOf(doc: Y.Doc) {
  return {
    json: doc.getXmlFragment(COLLAB_FIELD).toJSON(),
    rendered: renderDoc(doc),
    deleteSet: Y.createDeleteSetFromStructStore(doc.store),
    // Re-encoded through a fresh document: items split at other moments encode alike.
    state: canonical(Y.encodeStateAsUpdate(doc)),
  };
}

function canonical(update: Uint8Array): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return Y.mergeUpdates([Y.encodeStateAsUpdate(doc)]);
}

/** Rows as the version store writes them: the full state every `fullEvery`, else the delta against the previous vector. */
function recordRows(seed: number, versions: number, fullEvery: number) {
  const w = writers(seed);
  const rows: Uint8Array[] = [];
  const contents: string[] = [];
  let prevVector: Uint8Array | null = null;
  for (let v = 1; v <= versions; v++) {
    if (v > 1) for (let e = 0; e < 40; e++) w.edit();
    w.sync();
    const state = Y.encodeStateAsUpdate(w.docs[0]);
    rows.push((v - 1) % fullEvery === 0 || !prevVector ? state : Y.diffUpdate(state, prevVector));
    contents.push(w.docs[0].getXmlFragment(COLLAB_FIELD).toJSON());
    prevVector = Y.encodeStateVector(w.docs[0]);
  }
  return { rows, contents };
}

describe("a rebuild without the delete sets later rows repeat", () => {
  const fullEvery = 7;
  const { rows, contents } = recordRows(11, 30, fullEvery);
  const fullAtOrBefore = (seq: number) => Math.floor((seq - 1) / fullEvery) * fullEvery + 1;

  it("renders every pair of versions exactly as applying each row whole does, across full rows", () => {
    let pairs = 0;
    for (let older = 1; older <= rows.length; older++) {
      // The same version, the next, the last delta before the next full row, that full row, the last.
      const next = fullAtOrBefore(older) + fullEvery;
      for (const newer of new Set([older, older + 1, next - 1, next, rows.length].filter((n) => n >= older && n <= rows.length))) {
        const start = fullAtOrBefore(older);
        const chain = rows.slice(start - 1, newer);
        const olderCount = older - start + 1;
        const [a, b] = rebuildLean(chain, olderCount);
        const [wa, wb] = rebuildWhole(chain, olderCount);
        for (const [lean, whole] of [[a, wa], [b, wb]]) {
          expect(lean.rendered).toEqual(whole.rendered);
          expect(Y.equalDeleteSets(lean.deleteSet, whole.deleteSet)).toBe(true);
          expect(Buffer.from(lean.state).equals(Buffer.from(whole.state))).toBe(true);
        }
        expect(a.json).toBe(contents[older - 1]);
        expect(b.json).toBe(contents[newer - 1]);
        pairs++;
      }
    }
    expect(pairs).toBeGreaterThan(90);
  });

  it("drops the repeated delete sets (each delta before an end keeps only its structs)", () => {
    const chain = rows.slice(fullEvery, 2 * fullEvery); // one full row and its deltas
    const lean = withoutRepeatedDeletes(chain, [2, chain.length - 1]);
    expect(lean[0]).toBe(chain[0]);
    expect(lean[2]).toBe(chain[2]);
    expect(lean[chain.length - 1]).toBe(chain[chain.length - 1]);
    for (const i of [1, 3, 4, 5]) {
      expect(lean[i].byteLength).toBeLessThan(chain[i].byteLength);
      expect(Y.decodeUpdate(lean[i]).ds.clients.size).toBe(0);
      expect(Y.decodeUpdate(lean[i]).structs).toEqual(Y.decodeUpdate(chain[i]).structs);
    }
  });

  it("keeps a row whole when a later delete set does not cover it", () => {
    // A delta with only the deletions since the version before it: the end row no longer repeats them.
    const doc = new Y.Doc();
    const t = doc.getText("t");
    t.insert(0, "abcdefgh");
    const full = Y.encodeStateAsUpdate(doc);
    const sv = Y.encodeStateVector(doc);
    t.delete(0, 2);
    const first = Y.diffUpdate(Y.encodeStateAsUpdate(doc), sv);
    let onlyNew: Uint8Array = new Uint8Array(0);
    doc.once("update", (u: Uint8Array) => (onlyNew = u));
    t.delete(0, 1);
    const lean = withoutRepeatedDeletes([full, first, onlyNew], [2]);
    expect(lean[1]).toBe(first);
    const rebuilt = new Y.Doc();
    lean.forEach((u) => Y.applyUpdate(rebuilt, u));
    expect(rebuilt.getText("t").toString()).toBe("defgh");
  });
});

/** A migrated SQLite file with one team and briefing `b`, for versions to be recorded in. */
function briefingDb() {
  const db = openDatabase(path.join(tempDir(), "history.db"));
  migrateDatabase(db);
  const now = Date.now();
  db.$client.prepare("insert into teams (id, name, created_at) values ('t', 'Desk', ?)").run(now);
  db.$client
    .prepare(
      `insert into briefings (id, team_id, title, summit_name, city, start_date, end_date, classification, created_at, updated_at, last_edited_at)
       values ('b', 't', 'Brief', 'Summit', 'Ankara', '2026-10-01', '2026-10-02', 'RESTRICTED', ?, ?, ?)`,
    )
    .run(now, now, now);
  return db;
}

/** Three versions of briefing `b` by three writers, and the real store with its chain reads counted. */
async function threeVersions(db: ReturnType<typeof briefingDb>, seed: number) {
  const store = createVersionStore(openSqliteStore(db), 50);
  const w = writers(seed);
  const clients = Object.fromEntries(w.docs.map((d, i) => [String(d.clientID), `writer-${i}`]));
  for (let v = 1; v <= 3; v++) {
    if (v > 1) for (let e = 0; e < 30; e++) w.edit();
    w.sync();
    await store.record("b", { kind: "auto", name: null, authors: ["writer-0"], clients, changeBytes: 0, state: Y.encodeStateAsUpdate(w.docs[0]), createdBy: null }, inProcessEncoder);
  }
  const reads: number[] = [];
  const counted = { ...store, updates: (b: string, seq: number, from: number) => (reads.push(seq), store.updates(b, seq, from)) };
  return { store, clients, reads, counted };
}

describe("the engine's cold compares", () => {
  it("start from the versions prepared ahead (the newest two, rendered when the History page is asked for): they are read from the rows once", async () => {
    const db = briefingDb();
    try {
      const { store, clients, reads, counted } = await threeVersions(db, 5);
      const engine = createHistoryEngine(counted, 1024 * 1024);
      await engine.prepare("b", 3);
      expect(engine.cache.get("b", 3)).toBeDefined();
      expect(engine.cache.get("b", 2)).toBeDefined();
      await engine.prepare("b", 3); // a second page view: nothing read
      // One chain of rows for both (read up to version 3).
      expect(reads).toEqual([3]);
      const comparison = await engine.compare("b", 2, 3, clients, null);
      // The last change's comparison needed no rebuild, and it is the same comparison.
      expect(reads).toEqual([3]);
      const fresh = await createHistoryEngine(store, 1024 * 1024).compare("b", 2, 3, clients, null);
      expect(comparison).toEqual(fresh);
      expect(fresh!.blocks.some((b) => b.change !== "same")).toBe(true);
      // An older version is rebuilt for its comparison; the newest still comes from the cache.
      const withFirst = await engine.compare("b", 1, 3, clients, null);
      expect(reads).toEqual([3, 1]);
      expect(withFirst).toEqual(await createHistoryEngine(store, 1024 * 1024).compare("b", 1, 3, clients, null));
    } finally {
      db.$client.close();
    }
  });

  it("start from the pair the Compare page prepared (versions 1 and 3): its comparison reads no rows", async () => {
    const db = briefingDb();
    try {
      const { store, clients, reads, counted } = await threeVersions(db, 7);
      const engine = createHistoryEngine(counted, 1024 * 1024);
      await engine.prepare("b", 3, 1);
      // One chain of rows for both, and not version 2.
      expect(reads).toEqual([3]);
      expect(engine.cache.get("b", 1)).toBeDefined();
      expect(engine.cache.get("b", 3)).toBeDefined();
      expect(engine.cache.get("b", 2)).toBeUndefined();
      const comparison = await engine.compare("b", 1, 3, clients, null);
      expect(reads).toEqual([3]);
      expect(comparison).toEqual(await createHistoryEngine(store, 1024 * 1024).compare("b", 1, 3, clients, null));
      // The same version twice, or an older past the first: the one version only.
      const single = createHistoryEngine(counted, 1024 * 1024);
      await single.prepare("b", 2, 2);
      await single.prepare("b", 1, 0);
      expect(single.cache.get("b", 2)).toBeDefined();
      expect(single.cache.get("b", 1)).toBeDefined();
      expect(reads).toEqual([3, 2, 1]);
    } finally {
      db.$client.close();
    }
  });

  it("equal the compares of versions rebuilt from whole rows, in either order of the pair in the cache", async () => {
    const db = briefingDb();
    try {
      const fullEvery = 6;
      const store = createVersionStore(openSqliteStore(db), fullEvery);
      const w = writers(23);
      const clients = Object.fromEntries(w.docs.map((d, i) => [String(d.clientID), `writer-${i}`]));
      for (let v = 1; v <= 20; v++) {
        if (v > 1) for (let e = 0; e < 30; e++) w.edit();
        w.sync();
        const state = Y.encodeStateAsUpdate(w.docs[0]);
        await store.record("b", { kind: "auto", name: null, authors: ["writer-0"], clients, changeBytes: 0, state, createdBy: null }, inProcessEncoder);
      }
      const whole = async (seq: number) => {
        const doc = new Y.Doc();
        (await store.updates("b", seq, seq))!.forEach((u) => Y.applyUpdate(doc, u));
        return renderDoc(doc);
      };
      for (const [older, newer] of [[3, 5], [6, 7], [7, 12], [1, 20], [13, 14], [9, 9], [2, 18]]) {
        const expected = compareRendered(await whole(older), await whole(newer), clients, null);
        // A cache too small to keep anything: every compare rebuilds both versions.
        expect(await createHistoryEngine(store, 0).compare("b", older, newer, clients, null)).toEqual(expected);
        // One version cached first (older, then newer): the other is rebuilt on its own.
        for (const first of [older, newer]) {
          const engine = createHistoryEngine(store, 64 * 1024 * 1024);
          await engine.compare("b", first, first, clients, null);
          expect(await engine.compare("b", older, newer, clients, null)).toEqual(expected);
        }
      }
    } finally {
      db.$client.close();
    }
  });
});
