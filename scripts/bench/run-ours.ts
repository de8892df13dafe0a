// Scenarios 5–7, 9 and 10 of `npm run bench`: what only our server does (exports, the editor page,
// durability, projection, Word import), each by the repeated method on a fresh server per run.
import path from "node:path";
import { allLine, noteLine, oursLine, oursOnly, repeat, runList, type Scenario } from "./harness";
import { benchDocx } from "./docx";
import { benchPdf } from "./pdf";
import { BUILD_DIR, ROOT } from "./processes";
import { fmtKB, fmtMB, fmtMs } from "./report";
import { durability, editorPage, exportOverHttp, latencyDuringExport, latencyDuringProjection } from "./scenarios";
import { docxImport } from "./docx-import";

const flag = (b: boolean) => (b ? 1 : 0);
const ms0 = (v: number) => fmtMs(v, 0);

export const pdfScenario: Scenario = {
  numbers: [5],
  name: "5. PDF",
  async run(ctx) {
    const { pdf } = ctx.sizes;
    ctx.log(`PDF, Word and Markdown export of a generated 50-page brief (${ctx.method.repeat} runs)`);
    let pdfBytes = 0;
    const r = await repeat(ctx, "exports", () =>
      oursOnly(ctx, async (side) => {
        const ex = await exportOverHttp(side, pdf.warm);
        if (!ex.available) throw new Error(`PDF export failed: ${ex.status}`);
        pdfBytes = ex.bytes;
        const lat = await latencyDuringExport(side, ctx.writer, ctx.receivers, pdf.clients, ctx.fixtures, pdf.probe);
        // The render and export services in this process, not through the server: the render itself.
        const render = await benchPdf({ warmRuns: pdf.renderRuns });
        const word = await benchDocx({ warmRuns: pdf.renderRuns });
        const md = await benchDocx({ warmRuns: pdf.renderRuns, format: "md" });
        return {
          httpCold: ex.coldMs ?? NaN,
          httpWarm: ex.warmMs ?? NaN,
          workerRss: ex.peakWorkerRssBytes ?? NaN,
          idleP99: lat.idle.p99,
          exportP99: lat.duringExport.p99,
          exportDelta: lat.duringExport.p99 - lat.idle.p99,
          exportMax: lat.duringExport.max,
          exportsDuring: lat.exportsDuring,
          renderCold: render.coldMs,
          renderWarm: render.warmMedianMs,
          renderRss: render.workerPeakRssMb * 1048576,
          renderLoopP99: render.eventLoopP99DelayMs,
          wordCold: word.coldMs,
          wordWarm: word.warmMedianMs,
          wordLoopP99: word.eventLoopP99DelayMs,
          mdWarm: md.warmMedianMs,
        };
      })
    );
    const s = "5. PDF, 50-page brief";
    const sr = "5. PDF render and Word / Markdown export (in-process services)";
    ctx.rows.push(
      oursLine(r, s, "export over HTTP, first (cold)", "httpCold", ms0),
      oursLine(r, s, `export over HTTP, warm (median of ${pdf.warm})`, "httpWarm", ms0, { target: "≤ 500 ms", meets: (o) => o <= 500 }),
      oursLine(r, s, "render process peak RSS", "workerRss", fmtMB),
      oursLine(r, s, `live edit p99 to ${pdf.clients} clients, idle`, "idleP99", (v) => fmtMs(v)),
      oursLine(r, s, `live edit p99 to ${pdf.clients} clients, during exports`, "exportP99", (v) => fmtMs(v)),
      oursLine(r, s, "live edit p99: during exports minus idle", "exportDelta", (v) => fmtMs(v), { target: "≤ a few ms (5)", meets: (o) => o <= 5 }),
      oursLine(r, s, "live edit max during exports", "exportMax", (v) => fmtMs(v)),
      noteLine(r, s),
      oursLine(r, sr, "PDF render, cold (new render process)", "renderCold", ms0),
      oursLine(r, sr, `PDF render, warm, changed brief each time (median of ${pdf.renderRuns})`, "renderWarm", ms0, { target: "≤ 500 ms", meets: (o) => o <= 500 }),
      oursLine(r, sr, "PDF render process peak RSS", "renderRss", fmtMB),
      oursLine(r, sr, "main event loop delay during renders, p99", "renderLoopP99", (v) => fmtMs(v, 1)),
      oursLine(r, sr, "Word export, first (new thread)", "wordCold", ms0),
      oursLine(r, sr, "Word export, warm (median)", "wordWarm", ms0, { target: "≤ 1000 ms", meets: (o) => o <= 1000 }),
      oursLine(r, sr, "main event loop delay during Word exports, p99", "wordLoopP99", (v) => fmtMs(v, 1)),
      oursLine(r, sr, "Markdown export, warm (median)", "mdWarm", ms0)
    );
    ctx.details.push(
      `PDF: ${fmtKB(pdfBytes)} over HTTP; exports during the measured live edits per run ${runList(r, "ours.exportsDuring", 0)}; warm HTTP export per run (ms) ${runList(r, "ours.httpWarm", 0)}; in-process warm render per run (ms) ${runList(r, "ours.renderWarm", 0)}.`
    );
  },
};

export const editorPageScenario: Scenario = {
  numbers: [6],
  name: "6. Editor page",
  async run(ctx) {
    ctx.log(`editor page: server render and editor JavaScript (${ctx.method.repeat} runs)`);
    const r = await repeat(ctx, "editor page", () =>
      oursOnly(ctx, async (side) => {
        const page = await editorPage(side, path.join(ROOT, BUILD_DIR, "client"), ctx.sizes.pageRuns);
        return { renderMs: page.renderMs, gzip: page.editorGzipBytes, files: page.editorFiles, lazy: flag(page.lazy) };
      })
    );
    const s = "6. Editor page";
    ctx.rows.push(
      oursLine(r, s, `server render (median of ${ctx.sizes.pageRuns})`, "renderMs", (v) => fmtMs(v, 1), { target: "< 100 ms", meets: (o) => o < 100 }),
      oursLine(r, s, "editor JavaScript, gzipped", "gzip", fmtKB, { target: "< 250 KB", meets: (o) => o < 250 * 1024 }),
      allLine(r, s, "editor JavaScript loaded after first paint (lazy chunk)", "lazy", "lazy", "n/a"),
      noteLine(r, s)
    );
  },
};

export const durabilityScenario: Scenario = {
  numbers: [7],
  name: "7. Durability",
  async run(ctx) {
    ctx.log(`durability: edit, 260 ms, kill -9, restart (${ctx.method.repeat} runs)`);
    const r = await repeat(ctx, "durability", () =>
      oursOnly(ctx, async (side, swap) => {
        const d = await durability(side, ctx.writer, ctx.joiner, ctx.fixtures, 260, ctx.ours);
        swap(d.side);
        return { survived: flag(d.survived) };
      })
    );
    ctx.rows.push(allLine(r, "7. Durability", "edit 260 ms before kill -9 survives", "survived", "survives", "n/a (no persistence)"), noteLine(r, "7. Durability"));
  },
};

export const projectionScenario: Scenario = {
  numbers: [9],
  name: "9. Projection",
  async run(ctx) {
    const { pdf } = ctx.sizes;
    ctx.log(`live edits while a 50-page brief is projected (${ctx.method.repeat} runs)`);
    const r = await repeat(ctx, "projection", () =>
      oursOnly(ctx, async (side) => {
        const lat = await latencyDuringProjection(side, ctx.writer, ctx.joiner, ctx.receivers, pdf.clients, ctx.fixtures, { ...pdf.probe, settleMs: 500 });
        return {
          idleP99: lat.idle.p99,
          duringP99: lat.duringProjection.p99,
          delta: lat.duringProjection.p99 - lat.idle.p99,
          max: lat.duringProjection.max,
          projected: lat.projectionsDuring,
        };
      })
    );
    const s = "9. Projection, 50-page brief";
    ctx.rows.push(
      oursLine(r, s, `live edit p99 to ${pdf.clients} clients, idle`, "idleP99", (v) => fmtMs(v), { reference: "n/a (no projection)" }),
      oursLine(r, s, `live edit p99 to ${pdf.clients} clients, while projected`, "duringP99", (v) => fmtMs(v)),
      oursLine(r, s, "live edit p99: while projected minus idle", "delta", (v) => fmtMs(v), { target: "≤ a few ms (5)", meets: (o) => o <= 5 }),
      oursLine(r, s, "live edit max while projected", "max", (v) => fmtMs(v)),
      noteLine(r, s)
    );
    ctx.details.push(`Projection: projections finished during the measured edits per run ${runList(r, "ours.projected", 0)} (PROJECTION_DEBOUNCE_MS 500, one edit of the 50-page brief per settle).`);
  },
};

export const importScenario: Scenario = {
  numbers: [10],
  name: "10. Word import",
  async run(ctx) {
    ctx.log(`Word import: a 50-page .docx through the New briefing form (${ctx.method.repeat} runs)`);
    let bytes = 0;
    const r = await repeat(ctx, "word import", () =>
      oursOnly(ctx, async (side) => {
        const imp = await docxImport(side.server.url, ctx.sizes.importRuns);
        bytes = imp.bytes;
        return { coldMs: imp.coldMs, warmMs: imp.warmMedianMs };
      })
    );
    const s = "10. Word import, 50 pages";
    ctx.rows.push(
      oursLine(r, s, "upload to redirect, cold (first import starts the thread)", "coldMs", ms0, { target: "≤ 2 s", meets: (o) => o <= 2000 }),
      oursLine(r, s, `upload to redirect, warm (median of ${ctx.sizes.importRuns})`, "warmMs", ms0, { target: "≤ 2 s", meets: (o) => o <= 2000 }),
      noteLine(r, s)
    );
    ctx.details.push(`Word import: a ${fmtKB(bytes)} document.`);
  },
};
