/**
 * The server's own event-loop delay while the generated ~50-page brief is exported back to back
 * through the real, compiled server: Word, Markdown and PDF, each with the brief stored as one
 * snapshot, stored with a logged change, and open in a room with an edit before every export
 * (ADR 0408). The delay is the server's `/metrics` (prom-client's monitorEventLoopDelay, reset by
 * each scrape: the p99 and max of the exports in between); main-thread CPU per export from
 * /proc/<pid>/task/<pid>/schedstat.
 *
 * Run alone: `node --import tsx scripts/bench/export-loop.ts [exportsPerCase]`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loginAs } from "../../test/helpers/http";
import { connectClient, eventually, firstParagraph, metricValue } from "../../test/helpers/yclient";
import { addLongBrief, BRIEFINGS, prepareDatabase } from "./fixtures";
import { buildApp, METRICS_TOKEN, startOurServer } from "./processes";

const LOGGED = "bench-export-loop-logged";
const OPEN = "bench-export-loop-open";

const cpuMs = (pid: number) => Number(fs.readFileSync(`/proc/${pid}/task/${pid}/schedstat`, "utf8").split(" ")[0]) / 1e6;

async function main(): Promise<void> {
  const perCase = Number(process.argv[2] ?? 6);
  buildApp();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "export-loop-"));
  const databasePath = path.join(dir, "bench.db");
  await prepareDatabase(databasePath, 0);
  await addLongBrief(databasePath, LOGGED, true);
  await addLongBrief(databasePath, OPEN, false);
  const server = await startOurServer(databasePath, path.join(dir, "server.log"), { PDF_WORKERS: "1", PDF_RENDERS_PER_WORKER: "1000", PROJECTION_DEBOUNCE_MS: "60000", DOCX_WORKER_IDLE_MS: "0" });
  const clients: { destroy(): void }[] = [];
  try {
    const owner = await loginAs(server.url, "owner");
    const editor = await loginAs(server.url, "editor");
    const writer = await connectClient(server.url, owner, { briefingId: OPEN });
    const watcher = await connectClient(server.url, editor, { briefingId: OPEN });
    clients.push(writer, watcher);
    let n = 0;
    const edit = async () => {
      const marker = `edit${n++} `;
      firstParagraph(writer.doc).insert(0, marker);
      await eventually(() => {
        if (!firstParagraph(watcher.doc).toString().startsWith(marker)) throw new Error("not yet");
      }, 20_000);
    };
    const exportOnce = async (id: string, format: string) => {
      const res = await fetch(`${server.url}/briefings/${id}/export.${format}`, { headers: { Cookie: owner } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`export.${format} of ${id}: ${res.status}`);
    };
    const cases: [string, string, (() => Promise<void>) | null][] = [
      ["stored", BRIEFINGS.pdf, null],
      ["logged", LOGGED, null],
      ["open, edited", OPEN, edit],
    ];
    process.stdout.write(`load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}; ${perCase} exports per case\n`);
    for (const format of ["docx", "md", "pdf"]) {
      for (const [, id] of cases) await exportOnce(id, format); // warm: thread or render process, layout
      for (const [name, id, before] of cases) {
        const reset = () => metricValue(server.url, METRICS_TOKEN, "summit_nodejs_eventloop_lag_max_seconds");
        let cpu = 0;
        const p99s: number[] = [];
        const maxes: number[] = [];
        for (let i = 0; i < perCase; i++) {
          if (before) await before();
          await reset(); // a scrape resets the histogram
          const t0 = cpuMs(server.pid);
          await exportOnce(id, format);
          cpu += cpuMs(server.pid) - t0;
          // One scrape reads both, and resets: p99 and max of this export alone.
          const res = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
          const text = await res.text();
          const read = (m: string) => Number(text.split("\n").find((l) => l.startsWith(`${m} `))?.split(" ").pop() ?? 0) * 1000;
          p99s.push(read("summit_nodejs_eventloop_lag_p99_seconds"));
          maxes.push(read("summit_nodejs_eventloop_lag_max_seconds"));
        }
        const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
        process.stdout.write(
          `${format.padEnd(4)} ${name.padEnd(12)} main-thread CPU ${(cpu / perCase).toFixed(1)} ms/export; loop delay p99 median ${median(p99s).toFixed(1)} ms, max median ${median(maxes).toFixed(1)} ms, max of all ${Math.max(...maxes).toFixed(1)} ms\n`,
        );
      }
    }
  } finally {
    for (const c of clients) c.destroy();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
