// What the benchmark runs on: a fresh SQLite file with the demo seed plus the briefings each
// scenario uses, and the documents/edits it sends (deterministic, so both servers get the same).
import { prosemirrorJSONToYDoc } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { buildTemplateDocument } from "../../db/briefing-template";
import { openDatabase } from "../../db/client";
import { openSqliteStore, withTransaction, type Store } from "../../db/store";
import { migrateDatabase } from "../../db/migrate";
import { createBriefing } from "../../db/queries/briefings";
import { DEMO_TEAM_ID, DEMO_USERS, readSampleArticle, seedDemo } from "../../server/seed/demo";
import { buildSeedDocument } from "../../server/seed/demo-document";
import { createSqliteDocumentStore, type DocumentStore } from "../../server/persistence/document-store";
import { COLLAB_FIELD, getBriefingSchema } from "../../extensions";
import { createRandom } from "./util";

export const BRIEFINGS = {
  fanout: "bench-fanout",
  typing: "bench-typing",
  history: "bench-history",
  /** The same number of keystrokes, each at a random place: the worst history for a cold join. */
  historyRandom: "bench-history-random",
  pdf: "bench-pdf-50-pages",
  pdfLive: "bench-pdf-live",
  projectionLive: "bench-projection-live",
  churn: (i: number) => `bench-churn-${String(i).padStart(4, "0")}`,
};

export interface Fixtures {
  /** The Ankara demo body (fan-out, typing). */
  seedState: Uint8Array;
  /** The body every new briefing starts with (history, churn). */
  templateState: Uint8Array;
  /** A generated brief of about 50 pages (PDF). */
  longState: Uint8Array;
}

/** A bench briefing: its id, title and the body it starts with. */
export type BenchBriefing = [id: string, title: string, state: Uint8Array];

/** Creates the briefings (owned by the demo owner, in the demo team) and stores their bodies as the server writes them. */
export async function createBenchBriefings(store: Store, documents: DocumentStore, list: BenchBriefing[]): Promise<void> {
  const owner = DEMO_USERS[0].id;
  await withTransaction(store, async (tx) => {
    for (const [id, title] of list) {
      await createBriefing(
        tx,
        DEMO_TEAM_ID,
        { title, summitName: "Bench Summit", city: "Astana", startDate: "2026-10-01", endDate: "2026-10-02", classification: "RESTRICTED" },
        owner,
        id
      );
    }
  });
  for (const [id, , state] of list) await documents.create(id, state);
}

/** Creates the database the way the server would (migrate + demo seed) and adds the bench briefings. */
export async function prepareDatabase(databasePath: string, churnCount: number): Promise<Fixtures> {
  const db = openDatabase(databasePath);
  try {
    migrateDatabase(db);
    await seedDemo(openSqliteStore(db), createSqliteDocumentStore(db));
    const seedState = buildSeedDocument(readSampleArticle());
    const templateState = buildTemplateDocument("the Bench Summit");
    const longState = longBriefState(50);
    await createBenchBriefings(openSqliteStore(db), createSqliteDocumentStore(db), [
      [BRIEFINGS.fanout, "Bench: live fan-out", seedState],
      [BRIEFINGS.typing, "Bench: concurrent typists", seedState],
      ...historyBriefings(templateState),
      [BRIEFINGS.pdf, "Bench: 50-page brief", longState],
      [BRIEFINGS.pdfLive, "Bench: live edits during export", seedState],
      [BRIEFINGS.projectionLive, "Bench: live edits during projection", seedState],
      ...Array.from({ length: churnCount }, (_, i): BenchBriefing => [BRIEFINGS.churn(i), `Bench: churn ${i}`, templateState]),
    ]);
    return { seedState, templateState, longState };
  } finally {
    db.$client.close();
  }
}

/** The two long-history briefings (scenarios 3 and 13), both starting from the template body. */
export function historyBriefings(templateState: Uint8Array): BenchBriefing[] {
  return [
    [BRIEFINGS.history, "Bench: long history", templateState],
    [BRIEFINGS.historyRandom, "Bench: long history of random-position edits", templateState],
  ];
}

export interface StoredCounts {
  snapshotBytes: number;
  logRows: number;
}

/** Counts of a briefing's stored Yjs state: snapshot bytes and update-log rows. */
export function storedDocument(databasePath: string, briefingId: string): StoredCounts {
  const db = openDatabase(databasePath);
  try {
    const snap = db.$client.prepare("SELECT length(state) AS n FROM document_snapshots WHERE briefing_id = ?").get(briefingId) as
      | { n: number }
      | undefined;
    const log = db.$client.prepare("SELECT count(*) AS n FROM document_updates WHERE briefing_id = ?").get(briefingId) as { n: number };
    return { snapshotBytes: snap?.n ?? 0, logRows: log.n };
  } finally {
    db.$client.close();
  }
}

const WORDS =
  "delegation summit ministry bilateral agreement trade corridor energy transit logistics investment protocol memorandum cooperation region security dialogue partnership infrastructure railway customs tariff visa education culture agriculture digital".split(
    " "
  );

function sentence(rnd: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rnd() * WORDS.length)]);
  const s = out.join(" ");
  return s[0].toUpperCase() + s.slice(1) + ".";
}

function paragraphText(rnd: () => number): string {
  return Array.from({ length: 6 }, () => sentence(rnd, 10 + Math.floor(rnd() * 8))).join(" ");
}

/** Sections per rendered page, measured with the export template (50 sections came out as 41 pages). */
const SECTIONS_PER_PAGE = 50 / 41;

/**
 * A brief of roughly `pages` A4 pages: sections of a heading, three paragraphs of ~85 words, and
 * in turn an agenda topic, a quote (Turkish or Kazakh words) or a country fact.
 */
export function longBriefState(pages: number): Uint8Array {
  const rnd = createRandom(50);
  const text = (t: string) => ({ type: "text", text: t });
  const para = (t: string) => ({ type: "paragraph", content: [text(t)] });
  const content: unknown[] = [
    { type: "heading", attrs: { level: 1 }, content: [text("Kazakhstan–Türkiye summit: delegation brief")] },
    para("Purpose: a long generated brief to measure export time. Türkçe: şğİı — Қазақша: ӘҒҚҢӨҰҮҺІ."),
  ];
  for (let p = 1; p <= Math.round(pages * SECTIONS_PER_PAGE); p++) {
    content.push({ type: "heading", attrs: { level: 2 }, content: [text(`Section ${p}: ${sentence(rnd, 4).slice(0, -1)}`)] });
    for (let i = 0; i < 3; i++) content.push(para(paragraphText(rnd)));
    if (p % 3 === 0) {
      content.push({
        type: "agendaTopic",
        attrs: {
          blockId: `topic-${p}`,
          title: `Topic ${p}: ${sentence(rnd, 3).slice(0, -1)}`,
          priority: "high",
          status: "proposed",
          owner: "Desk",
        },
        content: [para(paragraphText(rnd))],
      });
    } else if (p % 3 === 1) {
      content.push({
        type: "quote",
        attrs: {
          blockId: `quote-${p}`,
          speaker: "Speaker",
          speakerRole: "Minister",
          country: p % 2 ? "TR" : "KZ",
          date: "2026-05-01",
          lang: p % 2 ? "tr" : "kk",
        },
        content: [
          text(
            p % 2
              ? "İki ülke arasındaki ticaret hacmi şu anda ılımlı bir büyüme gösteriyor."
              : "Екі ел арасындағы сауда көлемі өсіп келеді, Қазақстан үшін маңызды."
          ),
        ],
      });
    } else {
      content.push({
        type: "countryFact",
        attrs: {
          blockId: `fact-${p}`,
          country: "KZ",
          label: "Trade turnover",
          value: String(1000 + p),
          unit: "USD m",
          asOf: "2026-01-01",
          source: "Statistics bureau",
        },
      });
    }
  }
  const doc = prosemirrorJSONToYDoc(getBriefingSchema(), { type: "doc", content }, COLLAB_FIELD);
  return Y.encodeStateAsUpdate(doc);
}

/**
 * `edits` keystrokes of typing on top of `base`, grouped `perBatch` to a transaction: a typist
 * types letters at a cursor, one keystroke in ten is a backspace, and one in twenty-five first
 * moves the cursor to a random place in a random paragraph. Returns the updates a client would
 * send: one per batch (after one per text node it had to add to an empty paragraph).
 */
export function historyUpdates(base: Uint8Array, edits: number, perBatch: number, randomPositions = false): Uint8Array[] {
  const rnd = createRandom(100_000);
  // randomPositions: every keystroke lands at a random place of a random paragraph, so no two
  // neighbouring characters share an item and nothing in the history merges (the worst case).
  const jump = randomPositions ? 1 : 0.04;
  const doc = new Y.Doc();
  Y.applyUpdate(doc, base);
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  const texts: Y.XmlText[] = [];
  for (const node of doc.getXmlFragment(COLLAB_FIELD).toArray()) {
    if (node instanceof Y.XmlElement && node.nodeName === "paragraph") {
      let t = node.get(0);
      if (!(t instanceof Y.XmlText)) {
        t = new Y.XmlText();
        node.insert(0, [t]);
      }
      texts.push(t as Y.XmlText);
    }
  }
  let text = texts[0];
  let cursor = 0;
  for (let done = 0; done < edits; ) {
    const n = Math.min(perBatch, edits - done);
    doc.transact(() => {
      for (let i = 0; i < n; i++) {
        if (rnd() < jump) {
          text = texts[Math.floor(rnd() * texts.length)];
          cursor = Math.floor(rnd() * (text.length + 1));
        }
        if (cursor > 0 && rnd() < 0.1) text.delete(--cursor, 1);
        else text.insert(cursor++, String.fromCharCode(97 + Math.floor(rnd() * 26)));
      }
    });
    done += n;
  }
  return updates;
}

/**
 * Adds a briefing whose body is the ~50-page brief (longBriefState(50)), stored as one snapshot;
 * `logged` adds one change to its update log, as a room that unloaded without compacting leaves it.
 * The export scenarios and the export event-loop test use the same three shapes of one brief.
 */
export async function addLongBrief(databasePath: string, id: string, logged: boolean): Promise<void> {
  const db = openDatabase(databasePath);
  try {
    await withTransaction(openSqliteStore(db), async (store) => {
      const fields = { title: `Bench: ${id}`, summitName: "Bench Summit", city: "Astana", startDate: "2026-10-01", endDate: "2026-10-02", classification: "RESTRICTED" };
      await createBriefing(store, DEMO_TEAM_ID, fields, DEMO_USERS[0].id, id);
    });
    const documents = createSqliteDocumentStore(db);
    const state = longBriefState(50);
    await documents.create(id, state);
    if (!logged) return;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    let change: Uint8Array | null = null;
    doc.on("update", (u: Uint8Array) => (change = u));
    const paragraph = doc
      .getXmlFragment(COLLAB_FIELD)
      .toArray()
      .find((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === "paragraph" && n.get(0) instanceof Y.XmlText);
    if (!paragraph) throw new Error("the long brief has no paragraph with text");
    (paragraph.get(0) as Y.XmlText).insert(0, "Logged change. ");
    await documents.append(id, [{ update: change!, userId: DEMO_USERS[0].id, receivedAt: new Date() }]);
  } finally {
    db.$client.close();
  }
}
