import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { contentHash } from "../../server/export/content-hash";
import { updateToJSON } from "../../server/export/document-json";
import { BRIEFINGS, prepareDatabase } from "../../scripts/bench/fixtures";
import { get, loginAs } from "../helpers/http";
import { startTestServer, tempDir, type TestServer } from "../helpers/server";
import { mainThreadCpuMs } from "../helpers/thread-cpu";
import { connectClient, DEMO_BRIEFING, destroyAllClients, eventually, firstParagraph, type YClient } from "../helpers/yclient";

/**
 * A PDF export of a large brief does its whole-document work (reading the Yjs state, building the
 * model, hashing, the render) in the render process, so the collaboration event loop stays free
 * for live edits (ADR 0407). The brief is the benchmark's generated ~50-page one.
 */

let server: TestServer;
let owner: string;
let editor: string;

beforeAll(async () => {
  const databasePath = path.join(tempDir(), "pdf-loop.db");
  await prepareDatabase(databasePath, 0);
  // One render process that is never recycled during the test: every export is a warm one.
  server = await startTestServer({ databasePath, env: { PDF_WORKERS: "1", PDF_RENDERS_PER_WORKER: "1000", PDF_TIMEOUT_MS: "120000" } });
  owner = await loginAs(server.url, "owner");
  editor = await loginAs(server.url, "editor");
}, 120_000);
afterEach(() => destroyAllClients());
afterAll(async () => {
  await server?.stop();
});

/** Time (ms) for one edit typed by `writer` to reach `watcher`. */
async function editLatency(writer: YClient, watcher: YClient, marker: string): Promise<number> {
  const arrived = new Promise<number>((resolve) => {
    const check = () => {
      if (!firstParagraph(watcher.doc).toString().includes(marker)) return;
      watcher.doc.off("update", check);
      resolve(performance.now());
    };
    watcher.doc.on("update", check);
  });
  const typed = performance.now();
  firstParagraph(writer.doc).insert(0, marker);
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`edit ${marker} not delivered in 10 s`)), 10_000));
  return (await Promise.race([arrived, timeout])) - typed;
}

/** `n` edits one after another, ~20 ms apart, with their delivery times, sorted. */
async function editLatencies(writer: YClient, watcher: YClient, n: number, tag: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(await editLatency(writer, watcher, `${tag}${i} `));
    await new Promise((r) => setTimeout(r, 20));
  }
  return out.sort((a, b) => a - b);
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

async function exportOnce(briefingId: string = BRIEFINGS.pdf): Promise<number> {
  const res = await get(server.url, `/briefings/${briefingId}/export.pdf`, owner);
  const bytes = (await res.arrayBuffer()).byteLength;
  expect(res.status).toBe(200);
  return bytes;
}

describe("PDF export of a 50-page brief and the collaboration event loop", () => {
  it("costs the main thread no more than a short brief's export, records the draft's hash, and live edits stay prompt", async () => {
    const pid = server.process.pid!;
    // The first exports start the render process and lay each brief out from nothing.
    expect(await exportOnce()).toBeGreaterThan(300_000);
    await exportOnce(DEMO_BRIEFING);

    // The main thread's CPU time per export, the 50-page brief against the few-page demo brief,
    // taken in turns so both see the same machine. CPU time, not wall time: a busy machine does not
    // inflate it. The HTTP request, the loader and the reply cost about the same for both; what
    // grows with the brief is whole-document work, which belongs in the render process (reading
    // the Yjs state into ProseMirror JSON and hashing it added ~25-35 ms to the large one before).
    const cpu = { large: 0, short: 0 };
    const rounds = 6;
    for (let i = 0; i < rounds; i++) {
      for (const [kind, id] of [["large", BRIEFINGS.pdf], ["short", DEMO_BRIEFING]] as const) {
        const before = mainThreadCpuMs(pid);
        await exportOnce(id);
        cpu[kind] += mainThreadCpuMs(pid) - before;
      }
    }
    const perLarge = cpu.large / rounds;
    const perShort = cpu.short / rounds;

    // The hash the audit trail records is the draft's content hash, computed in the render process.
    const db = new Database(server.databasePath, { readonly: true });
    try {
      const row = db.prepare("select details from audit_events where action = 'briefing.export' and briefing_id = ? order by id desc limit 1").get(BRIEFINGS.pdf) as { details: string };
      const briefing = db.prepare("select title, summit_name as summitName, city, start_date as startDate, end_date as endDate, classification from briefings where id = ?").get(BRIEFINGS.pdf) as Record<string, string>;
      const snap = db.prepare("select state from document_snapshots where briefing_id = ?").get(BRIEFINGS.pdf) as { state: Buffer };
      const expected = contentHash(updateToJSON(new Uint8Array(snap.state)), {
        title: briefing.title,
        summitName: briefing.summitName,
        city: briefing.city,
        startDate: briefing.startDate,
        endDate: briefing.endDate,
        classification: briefing.classification,
      });
      expect(JSON.parse(row.details)).toMatchObject({ format: "pdf", version: "draft", contentHash: expected });
    } finally {
      db.close();
    }

    // Live edits on another briefing: first alone, then while exports run back to back.
    const writer = await connectClient(server.url, owner, { briefingId: BRIEFINGS.pdfLive });
    const watcher = await connectClient(server.url, editor, { briefingId: BRIEFINGS.pdfLive });
    await eventually(() => expect(firstParagraph(watcher.doc).length).toBeGreaterThan(0), 10_000);
    await editLatencies(writer, watcher, 10, "warm");
    const idle = await editLatencies(writer, watcher, 60, "idle");

    let exporting = true;
    let during = 0;
    const loop = (async () => {
      while (exporting) {
        await exportOnce();
        during++;
      }
    })();
    const busy: number[] = [];
    // At least 60 edits, and at least two exports finished while they ran.
    while (busy.length < 60 || during < 2) busy.push(...(await editLatencies(writer, watcher, 10, `busy${busy.length}-`)));
    exporting = false;
    await loop;
    busy.sort((a, b) => a - b);

    const line = (xs: number[]) => `p50 ${pct(xs, 0.5).toFixed(1)} p90 ${pct(xs, 0.9).toFixed(1)} max ${xs.at(-1)!.toFixed(1)} ms`;
    console.log(`main thread per export: 50 pages ${perLarge.toFixed(1)} ms CPU, demo brief ${perShort.toFixed(1)} ms; live edit idle ${line(idle)}; during ${during} exports (${busy.length} edits) ${line(busy)}`);

    // Counted in the scheduler's nanoseconds: in 10 ms ticks six exports could not tell 8 ms from
    // 10. A loaded machine (cache misses, a shared core) makes every export's CPU dearer alike, so
    // the bound scales with the short brief's figure. The large brief costs ~1 ms more than the
    // short one (6.5-8.3 ms against 5.7-7.4, idle and with both cores busy elsewhere); the old code
    // added ~27 ms on an idle machine.
    expect(perLarge, `50 pages ${perLarge.toFixed(1)} ms, demo brief ${perShort.toFixed(1)} ms`).toBeLessThan(perShort * 2 + 5);
    // Against the same moment's idle figures: what the exports add is the server's doing.
    expect(pct(busy, 0.9)).toBeLessThan(pct(idle, 0.9) * 2 + 40);
    expect(busy.at(-1)!).toBeLessThan(idle.at(-1)! * 2 + 500);
    expect(writer.closes).toEqual([]);
    expect(watcher.closes).toEqual([]);
  }, 300_000);
});
