// Calls scripts/bench/pdf.ts (the PDF side's render benchmark) when it exists and turns its result
// into rows of the table. Its numbers are measured by that module, not re-derived here.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { PdfBenchResult } from "./pdf";
import { ROOT } from "./processes";
import { fmtMB, fmtMs, type Row } from "./report";

const SCENARIO = "5. PDF render (pdf.ts)";

function row(metric: string, ours: string, target = "—", verdict: Row["verdict"] = "info"): Row {
  return { scenario: SCENARIO, metric, ours, reference: "n/a", ratio: "—", target, verdict };
}

export async function runPdfHelper(quick: boolean): Promise<{ rows: Row[]; details: string[] }> {
  const file = path.join(ROOT, "scripts/bench/pdf.ts");
  if (!fs.existsSync(file)) {
    return {
      rows: [row("render warm/cold, peak memory", "not measured: scripts/bench/pdf.ts does not exist")],
      details: ["scripts/bench/pdf.ts did not exist at the time of this run; the HTTP export rows are the only PDF numbers."],
    };
  }
  try {
    const mod = (await import(pathToFileURL(file).href)) as { benchPdf?: (o: { quick: boolean }) => Promise<PdfBenchResult> };
    if (typeof mod.benchPdf !== "function")
      return { rows: [row("render", "pdf.ts exports no benchPdf()", "≤ 500 ms warm", "FAIL")], details: [] };
    const r = await mod.benchPdf({ quick });
    return {
      rows: [
        row(`render, cold (new render process), ${r.pages} pages`, fmtMs(r.coldMs, 0)),
        row(
          "render, warm, changed brief each time (median)",
          fmtMs(r.warmMedianMs, 0),
          "≤ 500 ms",
          r.warmMedianMs <= 500 ? "pass" : "FAIL"
        ),
        row("render process peak RSS", fmtMB(r.workerPeakRssMb * 1048576)),
        row("main event loop delay during renders, p99 / max", `${fmtMs(r.eventLoopP99DelayMs, 1)} / ${fmtMs(r.eventLoopMaxDelayMs, 1)}`),
      ],
      details: [
        `pdf.ts benchPdf(): ${r.pages} pages, ${(r.pdfBytes / 1024).toFixed(0)} KB; warm median ${r.warmMedianMs.toFixed(
          0
        )} ms (p95 ${r.warmP95Ms.toFixed(0)}, min ${r.warmMinMs.toFixed(0)}; inside the render process ${r.workerRenderMedianMs.toFixed(
          0
        )} ms); cold ${r.coldMs.toFixed(0)} ms (render itself ${r.coldRenderMs.toFixed(0)} ms).`,
      ],
    };
  } catch (err) {
    return { rows: [row("render", `failed: ${(err as Error).message}`, "≤ 500 ms warm", "FAIL")], details: [] };
  }
}
