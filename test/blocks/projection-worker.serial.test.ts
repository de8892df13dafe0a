// SQLite only: the projection thread's own better-sqlite3 connection to the file, measured against the event loop on one machine.
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createBriefing } from "../../db/queries/briefings";
import { openSqliteStore } from "../../db/store";
import { documentSnapshots } from "../../db/schema";
import { DEMO_TEAM_ID, DEMO_USERS } from "../../server/seed/demo";
import { longBriefState } from "../../scripts/bench/fixtures";
import { loginAs } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { mainThreadCpuMs } from "../helpers/thread-cpu";
import { connectClient, destroyAllClients, eventually, firstParagraph, metricValue } from "../helpers/yclient";
import { seededTempDatabase } from "./temp-db";

// Projection of a settled 50-page brief takes ~100 ms of CPU. It runs in the projection thread, so
// live edits keep flowing between clients at idle speed while the brief is projected again and
// again; and the rows still follow the latest state.
const TOKEN = "projection-metrics-token";
const BIG = "big-brief";
let server: TestServer;
let sqlite: Database.Database;

beforeAll(async () => {
  const { db } = await seededTempDatabase();
  const databasePath = db.$client.name;
  await createBriefing(
    openSqliteStore(db),
    DEMO_TEAM_ID,
    { title: "Fifty pages", summitName: "Bench Summit", city: "Astana", startDate: "2026-10-01", endDate: "2026-10-02", classification: "RESTRICTED" },
    DEMO_USERS[0].id,
    BIG,
  );
  db.insert(documentSnapshots).values({ briefingId: BIG, state: Buffer.from(longBriefState(50)), lastUpdateId: 0, updatedAt: new Date() }).run();
  db.$client.close();
  server = await startTestServer({ databasePath, env: { METRICS_TOKEN: TOKEN, PROJECTION_DEBOUNCE_MS: "20" } });
  sqlite = new Database(databasePath, { readonly: true, fileMustExist: true });
}, 120_000);
afterEach(() => destroyAllClients());
afterAll(async () => {
  sqlite?.close();
  await server?.stop();
});

const metric = (name: string, labels = "") => metricValue(server.url, TOKEN, name, labels);
const projected = () => metric("summit_projections_total", '{outcome="projected"}');
const topicRows = () => (sqlite.prepare("select count(*) as n from agenda_topics where briefing_id = ?").get(BIG) as { n: number }).n;
const storedText = () => (sqlite.prepare("select body from briefing_texts where briefing_id = ?").get(BIG) as { body: string } | undefined)?.body ?? "";

describe("projection in a worker thread", () => {
  it("backfills the stored 50-page brief through the worker at start", async () => {
    await eventually(() => expect(topicRows()).toBeGreaterThan(10), 30_000);
    expect(storedText()).toContain("Section 1:");
    expect(await metric("summit_projection_worker_starts_total")).toBeGreaterThanOrEqual(1);
    expect(await projected()).toBeGreaterThanOrEqual(2); // the seeded Ankara brief and this one
    expect(await metric("summit_projection_lock_seconds_count")).toBeGreaterThanOrEqual(2);
  });

  it("keeps live edits at idle latency while the brief is projected over and over", async () => {
    await eventually(() => expect(topicRows()).toBeGreaterThan(10), 30_000);
    const cookie = await loginAs(server.url, "editor");

    /**
     * Types one character at a time into `briefingId` for `ms`, each as soon as the previous one
     * arrived at a second client; every keystroke changes the text, so each settle (20 ms later)
     * is a real projection with a search rewrite. Stops after `ms` and `minEdits` once `enough()`
     * says so. Returns the sorted delivery delays and the server main thread's CPU time while typing.
     */
    async function typeFor(briefingId: string, ms: number, minEdits: number, enough: () => Promise<boolean> = async () => true) {
      const writer = await connectClient(server.url, cookie, { briefingId });
      const reader = await connectClient(server.url, cookie, { briefingId });
      const typed = firstParagraph(writer.doc);
      const seen = firstParagraph(reader.doc);
      const delays: number[] = [];
      let arrived: (() => void) | null = null;
      reader.doc.on("update", () => arrived?.());
      const started = performance.now();
      const cpuStarted = mainThreadCpuMs(server.process.pid!);
      let done = false;
      for (let i = 0; !done; i++) {
        const expected = seen.length + 1;
        const delivered = new Promise<void>((resolve) => {
          arrived = () => seen.length >= expected && resolve();
        });
        const t0 = performance.now();
        typed.insert(0, String.fromCharCode(97 + (i % 26)));
        await delivered;
        delays.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 5 + (i % 4) * 10));
        // Past the minimum time and count, asked every 10 edits whether enough has happened; at
        // most 40 s, after which the checks below say what did not happen.
        const elapsed = performance.now() - started;
        if (elapsed >= ms && i + 1 >= minEdits && i % 10 === 9) done = (await enough()) || elapsed > 40_000;
      }
      arrived = null;
      const cpuMs = mainThreadCpuMs(server.process.pid!) - cpuStarted;
      return { delays: delays.sort((x, y) => x - y), typed, cpuMs };
    }
    const p99 = (delays: number[]) => delays[Math.floor(delays.length * 0.99)];

    // The yardstick, on this machine at this moment: the same typing into the small demo brief,
    // whose projection costs next to nothing. Its main-thread CPU per edit is what an edit costs
    // (applied, stored, relayed) on this machine now, a busy one included.
    const small = await typeFor("ankara-summit", 1500, 30, async () => (await projected(), true));
    const idle = p99(small.delays);
    const perEdit = small.cpuMs / small.delays.length;
    const before = await projected();
    // On a busy machine each projection takes longer: typing goes on until five have run.
    const { delays, typed, cpuMs } = await typeFor(BIG, 4000, 60, async () => (await projected()) - before >= 5);
    const during = (await projected()) - before;
    // Projections really ran while the edits flowed (each takes its thread ~100 ms of CPU)...
    expect(during).toBeGreaterThanOrEqual(5);
    // ...but not on the collaboration thread: its CPU time (the kernel's count for that one
    // thread), less what the edits cost at the yardstick's rate, is what the projections cost it
    // (the state handed over at each settle, the answer): far below a projection's ~100 ms, which
    // the old code spent there.
    const perProjection = (cpuMs - delays.length * perEdit) / during;
    const detail = `main thread ${cpuMs.toFixed(0)} ms of CPU for ${during} projections and ${delays.length} edits (an edit ${perEdit.toFixed(1)} ms): ${perProjection.toFixed(1)} ms a projection`;
    console.log(detail);
    expect(perProjection, detail).toBeLessThan(50);
    // Edits kept flowing: on the old code one projection held each of them (p99 648 ms, idle ~10 ms).
    // The allowance is wide because the projection thread and the other test files share the two
    // cores with the collaboration thread, which then waits for a core; the CPU check above is the
    // exact one, this one only catches edits held behind projections.
    expect(p99(delays), `p99 ${p99(delays).toFixed(1)} ms (idle ${idle.toFixed(1)}) over ${delays.length} edits`).toBeLessThan(idle * 4 + 300);

    // The rows follow the latest state: the typed prefix reaches briefing_texts.
    const prefix = typed.toString().slice(0, 20);
    await eventually(() => expect(storedText()).toContain(prefix), 10_000);
  }, 120_000);
});
