/**
 * PDF render measurements on the generated ~50-page brief (the same fixture the HTTP export bench
 * uses): cold (new render process: spawn, font load, warm-up, first render), warm (a changed brief
 * each time, so nothing is a cache hit), peak RSS of the render process, and how much the main event
 * loop stalls while renders run (it should not: they run in child processes).
 *
 * Run alone: `node --import tsx scripts/bench/pdf.ts [pages] [warmRuns]`.
 * The benchmark calls `benchPdf({ quick })`.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { updateToJSON } from "../../server/export/document-json";
import type { ExportInfo, PMNode } from "../../server/export/model";
import { createPdfService } from "../../server/export/service";
import { longBriefState } from "./fixtures";

export interface PdfBenchOptions {
  quick?: boolean;
  pages?: number;
  warmRuns?: number;
}

export interface PdfBenchResult {
  pages: number;
  pdfBytes: number;
  coldMs: number;
  coldRenderMs: number;
  warmMedianMs: number;
  warmP95Ms: number;
  warmMinMs: number;
  workerRenderMedianMs: number;
  /** CPU time of the render process per warm render (every thread): the figure a busy machine does not inflate. */
  workerCpuMedianMs: number;
  workerPeakRssMb: number;
  eventLoopMaxDelayMs: number;
  eventLoopP99DelayMs: number;
}

const info = (n: number): ExportInfo => ({
  title: `Kazakhstan–Türkiye summit: delegation brief (${n})`,
  summitName: "Kazakhstan–Türkiye Presidential Summit",
  city: "Ankara",
  startDate: "2026-12-14",
  endDate: "2026-12-15",
  classification: "RESTRICTED",
  status: "draft",
  team: "Kazakhstan–Türkiye desk",
  exportedAt: new Date(),
  staleMonths: 12,
});

/** The brief with its first paragraph changed, so the whole layout after it is new. */
function variant(base: PMNode, n: number): PMNode {
  const content = [...(base.content ?? [])];
  content.splice(1, 0, { type: "paragraph", content: [{ type: "text", text: `Revision ${n}: ${"an added line of text that reflows what follows. ".repeat(1 + (n % 4))}` }] });
  return { ...base, content };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

export async function benchPdf(opts: PdfBenchOptions = {}): Promise<PdfBenchResult> {
  const pages = opts.pages ?? 50;
  const warmRuns = opts.warmRuns ?? (opts.quick ? 3 : 10);
  const base = updateToJSON(longBriefState(pages));
  const service = createPdfService({ PDF_WORKERS: 1, PDF_TIMEOUT_MS: 60_000, PDF_RENDERS_PER_WORKER: warmRuns + 2 });
  const loop = monitorEventLoopDelay({ resolution: 5 });
  try {
    loop.enable();
    let t0 = performance.now();
    const cold = await service.render({ doc: variant(base, 0), info: info(0) });
    const coldMs = performance.now() - t0;
    const warm: number[] = [];
    const inWorker: number[] = [];
    const cpu: number[] = [];
    let peak = cold.stats.maxRss;
    for (let i = 1; i <= warmRuns; i++) {
      t0 = performance.now();
      const r = await service.render({ doc: variant(base, i), info: info(i) });
      warm.push(performance.now() - t0);
      inWorker.push(r.stats.ms);
      cpu.push(r.stats.cpuMs);
      peak = Math.max(peak, r.stats.maxRss);
    }
    loop.disable();
    return {
      pages: cold.stats.pages,
      pdfBytes: cold.pdf.length,
      coldMs,
      coldRenderMs: cold.stats.ms,
      warmMedianMs: median(warm),
      warmP95Ms: p95(warm),
      warmMinMs: Math.min(...warm),
      workerRenderMedianMs: median(inWorker),
      workerCpuMedianMs: median(cpu),
      workerPeakRssMb: peak / 1024 / 1024,
      eventLoopMaxDelayMs: loop.max / 1e6,
      eventLoopP99DelayMs: loop.percentile(99) / 1e6,
    };
  } finally {
    await service.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const pages = Number(process.argv[2] ?? 50);
  const warmRuns = Number(process.argv[3] ?? 10);
  benchPdf({ pages, warmRuns }).then(
    (r) => {
      for (const [k, v] of Object.entries(r)) process.stdout.write(`${k.padEnd(22)} ${typeof v === "number" ? Math.round(v * 10) / 10 : v}\n`);
    },
    (err) => {
      process.stderr.write(`${(err as Error).stack ?? err}\n`);
      process.exit(1);
    },
  );
}
