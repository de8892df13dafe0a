// `node --import tsx scripts/bench/history.ts [--edits 100000] [--versions 200]`: the storage and
// compare cost of version history (docs/decisions/0108) on a 50-page brief. Builds the brief, has
// three writers make the edits (typing, with some deletions), records a version every
// edits/versions edits through the real version store into a temporary SQLite file, and reports
// history bytes against the document's own size and the time to rebuild and compare versions.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as Y from "yjs";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { openSqliteStore } from "../../db/store";
import { COLLAB_FIELD } from "../../extensions";
import { createHistoryEngine } from "../../server/history/engine";
import { createVersionStore } from "../../server/history/version-store";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const EDITS = arg("edits", 100_000);
const VERSIONS = arg("versions", 200);
const FULL_EVERY = arg("full-every", 50);
const PARAGRAPHS = 1000; // ~50 pages of 20 paragraphs
const WORDS = "the delegation will raise transit corridors energy cooperation and visa facilitation at the plenary session".split(" ");

let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "history-bench-"));
const db = openDatabase(path.join(dir, "bench.db"));
migrateDatabase(db);
const now = Date.now();
db.$client.prepare("insert into teams (id, name, created_at) values ('t', 'Bench', ?)").run(now);
db.$client
  .prepare(
    `insert into briefings (id, team_id, title, summit_name, city, start_date, end_date, classification, created_at, updated_at, last_edited_at)
     values ('b', 't', 'Bench', 'Summit', 'Ankara', '2026-12-01', '2026-12-01', 'OFFICIAL', ?, ?, ?)`,
  )
  .run(now, now, now);
const store = createVersionStore(openSqliteStore(db), FULL_EVERY);

// Three writers, each its own Y.Doc (own client id), kept in sync like a room would.
const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
docs.forEach((d, i) =>
  d.on("update", (u: Uint8Array, origin: unknown) => {
    if (origin === "sync") return;
    docs.forEach((o, j) => j !== i && Y.applyUpdate(o, u, "sync"));
  }),
);
const server = docs[0];
docs[0].transact(() => {
  const frag = docs[0].getXmlFragment(COLLAB_FIELD);
  const ps = [];
  for (let i = 0; i < PARAGRAPHS; i++) {
    const p = new Y.XmlElement("paragraph");
    p.insert(0, [new Y.XmlText(Array.from({ length: 45 }, () => WORDS[Math.floor(random() * WORDS.length)]).join(" ") + ".")]);
    ps.push(p);
  }
  frag.insert(0, ps);
});
const initialSize = Y.encodeStateAsUpdate(server).byteLength;
await store.record("b", { kind: "auto", name: null, authors: [], clients: {}, changeBytes: initialSize, state: Y.encodeStateAsUpdate(server), createdBy: null });

const every = Math.max(1, Math.floor(EDITS / VERSIONS));
let recordMs = 0;
const started = performance.now();
for (let e = 1; e <= EDITS; e++) {
  const doc = docs[e % 3];
  const frag = doc.getXmlFragment(COLLAB_FIELD);
  const p = frag.get(Math.floor(random() * frag.length)) as Y.XmlElement;
  const t = p.get(0) as Y.XmlText;
  if (random() < 0.2 && t.length > 10) t.delete(Math.floor(random() * (t.length - 1)), 1);
  else t.insert(Math.floor(random() * t.length), WORDS[Math.floor(random() * WORDS.length)][0]);
  if (e % every === 0) {
    const t0 = performance.now();
    await store.record("b", { kind: "auto", name: null, authors: ["u"], clients: {}, changeBytes: 0, state: Y.encodeStateAsUpdate(server), createdBy: null });
    recordMs += performance.now() - t0;
  }
}
const editMs = performance.now() - started;
const docSize = Y.encodeStateAsUpdate(server).byteLength;
const historyBytes = await store.storedBytes("b");
const versions = await store.latestSeq("b");

const time = async (fn: () => Promise<unknown>, runs = 5) => {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[Math.floor(runs / 2)];
};
// Cold: a fresh engine each run, so both versions are rebuilt from their rows and rendered (docs/decisions/0110).
const compare = (a: number, b: number) => () => createHistoryEngine(store, 256 * 1024 * 1024).compare("b", a, b, {}, null);
const rebuildMs = await time(() => store.state("b", versions - 1));
const adjacentMs = await time(compare(versions - 1, versions));
const farMs = await time(compare(Math.max(1, versions - FULL_EVERY + 1), versions));
const firstLastMs = await time(compare(1, versions), 3);

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`Version history: ${EDITS} edits by 3 writers on a ${PARAGRAPHS}-paragraph brief, a version every ${every} edits, full state every ${FULL_EVERY}`);
console.table({
  "document size, start": kb(initialSize),
  "document size, end (encodeStateAsUpdate)": kb(docSize),
  versions: versions,
  "history bytes (all versions)": kb(historyBytes),
  "history / document": `${(historyBytes / docSize).toFixed(2)}×`,
  "record one version (mean)": `${(recordMs / versions).toFixed(1)} ms`,
  "rebuild one version (median)": `${rebuildMs.toFixed(1)} ms`,
  "compare adjacent versions (median)": `${adjacentMs.toFixed(1)} ms`,
  [`compare versions ${FULL_EVERY - 1} apart (median)`]: `${farMs.toFixed(1)} ms`,
  "compare first and last (median of 3)": `${firstLastMs.toFixed(1)} ms`,
  "edit loop": `${(editMs / 1000).toFixed(1)} s`,
});
db.$client.close();
fs.rmSync(dir, { recursive: true, force: true });
