/**
 * Word and Markdown export measurements on the generated ~50-page brief (the PDF bench's fixture):
 * first export (new export thread), warm exports of a changed brief each time, and how much the
 * main event loop stalls meanwhile (it should not: the file is written in a worker thread).
 *
 * Run alone: `node --import tsx scripts/bench/docx.ts [pages] [warmRuns]`.
 * The benchmark calls `docxRows(quick)` in scenario 5.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { updateToJSON } from "../../server/export/document-json";
import { createDocumentService, type DocumentFormat } from "../../server/export/document-service";
import type { ExportInfo, PMNode } from "../../server/export/model";
import { longBriefState } from "./fixtures";
import { fmtMs, type Row } from "./report";

export interface DocxBenchResult {
  pages: number;
  format: DocumentFormat;
  bytes: number;
  coldMs: number;
  warmMedianMs: number;
  warmP95Ms: number;
  threadMedianMs: number;
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

function variant(base: PMNode, n: number): PMNode {
  const content = [...(base.content ?? [])];
  content.splice(1, 0, { type: "paragraph", content: [{ type: "text", text: `Revision ${n}: an added line. ` }] });
  return { ...base, content };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

export async function benchDocx(opts: { quick?: boolean; pages?: number; warmRuns?: number; format?: DocumentFormat } = {}): Promise<DocxBenchResult> {
  const pages = opts.pages ?? 50;
  const format = opts.format ?? "docx";
  const warmRuns = opts.warmRuns ?? (opts.quick ? 3 : 10);
  const base = updateToJSON(longBriefState(pages));
  const service = createDocumentService({ DOCX_TIMEOUT_MS: 60_000, DOCX_MAX_QUEUE: 4, DOCX_WORKER_MAX_MEMORY_MB: 512 });
  const loop = monitorEventLoopDelay({ resolution: 5 });
  try {
    loop.enable();
    let t0 = performance.now();
    const cold = await service.render({ doc: variant(base, 0), info: info(0), format });
    const coldMs = performance.now() - t0;
    const warm: number[] = [];
    const inThread: number[] = [];
    for (let i = 1; i <= warmRuns; i++) {
      t0 = performance.now();
      const r = await service.render({ doc: variant(base, i), info: info(i), format });
      warm.push(performance.now() - t0);
      inThread.push(r.ms);
    }
    loop.disable();
    return {
      pages,
      format,
      bytes: cold.bytes.length,
      coldMs,
      warmMedianMs: median(warm),
      warmP95Ms: p95(warm),
      threadMedianMs: median(inThread),
      eventLoopMaxDelayMs: loop.max / 1e6,
      eventLoopP99DelayMs: loop.percentile(99) / 1e6,
    };
  } finally {
    await service.close();
  }
}

/** Rows for scenario 5 of `npm run bench`: Word and Markdown export of the 50-page brief. */
export async function docxRows(quick: boolean): Promise<{ rows: Row[]; details: string[] }> {
  const scenario = "5. Word / Markdown export (docx.ts)";
  const row = (metric: string, ours: string, target = "—", verdict: Row["verdict"] = "info"): Row => ({
    scenario,
    metric,
    ours,
    reference: "n/a",
    ratio: "—",
    target,
    verdict,
  });
  const docx = await benchDocx({ quick });
  const md = await benchDocx({ quick, format: "md" });
  return {
    rows: [
      row(`Word export, first (new thread), ${docx.pages}-page brief`, fmtMs(docx.coldMs, 0)),
      row("Word export, warm, changed brief each time (median)", fmtMs(docx.warmMedianMs, 0), "≤ 1000 ms", docx.warmMedianMs <= 1000 ? "pass" : "FAIL"),
      row("Markdown export, warm (median)", fmtMs(md.warmMedianMs, 0)),
      row("main event loop delay during Word exports, p99 / max", `${fmtMs(docx.eventLoopP99DelayMs, 1)} / ${fmtMs(docx.eventLoopMaxDelayMs, 1)}`),
    ],
    details: [
      `docx.ts benchDocx(): ${docx.pages}-page brief, ${(docx.bytes / 1024).toFixed(0)} KB .docx (Noto Sans embedded); warm median ${docx.warmMedianMs.toFixed(0)} ms (p95 ${docx.warmP95Ms.toFixed(0)}; in the thread ${docx.threadMedianMs.toFixed(0)} ms); first ${docx.coldMs.toFixed(0)} ms. Markdown: ${(md.bytes / 1024).toFixed(0)} KB, warm median ${md.warmMedianMs.toFixed(0)} ms.`,
    ],
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const pages = Number(process.argv[2] ?? 50);
  const warmRuns = Number(process.argv[3] ?? 10);
  (async () => {
    for (const format of ["docx", "md"] as const) {
      const r = await benchDocx({ pages, warmRuns, format });
      for (const [k, v] of Object.entries(r)) process.stdout.write(`${k.padEnd(22)} ${typeof v === "number" ? Math.round(v * 10) / 10 : v}\n`);
    }
  })().catch((err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
}
