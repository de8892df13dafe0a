/**
 * A PDF render process (forked by pool.ts). Rendering is synchronous and takes the whole thread, so
 * it runs here, never on the server's event loop. Reads the brief, builds the template data, checks
 * every character against the fonts, compiles. The pool recycles this process after a few renders
 * because the compiler's memory is not returned.
 */
import fs from "node:fs";
import path from "node:path";
import { PdfExportError } from "./errors";
import { buildExportModel } from "./model";
import { readJob } from "./read-job";
import { BriefingRenderer } from "./render";
import type { FromWorker, RenderJob, ToWorker } from "./worker-protocol";
import { sampleWarmupModel } from "./warmup";

const root = process.env.SD_TYPST_ROOT;
const outDir = process.env.SD_PDF_OUT;
if (!root || !outDir || !process.send) {
  process.stderr.write("pdf worker: started without SD_TYPST_ROOT, SD_PDF_OUT or an IPC channel\n");
  process.exit(2);
}

const send = (msg: FromWorker) => process.send!(msg);

const started = performance.now();
const renderer = new BriefingRenderer(root);
// One small render warms the compiler (fonts parsed, template evaluated) before real work arrives.
renderer.render(sampleWarmupModel());
send({ type: "ready", ms: Math.round(performance.now() - started) });

function run(job: RenderJob) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const { doc, hash } = readJob(job);
  const info = { ...job.info, exportedAt: new Date(job.info.exportedAt) };
  const { pdf, pages } = renderer.render(buildExportModel(doc, info));
  return {
    pdf,
    contentHash: hash,
    stats: {
      ms: Math.round(performance.now() - t0),
      cpuMs: cpuMs(process.cpuUsage(cpu0)),
      pid: process.pid,
      pages,
      rss: process.memoryUsage().rss,
      maxRss: process.resourceUsage().maxRSS * 1024,
    },
  };
}

function cpuMs(u: NodeJS.CpuUsage): number {
  return Math.round((u.user + u.system) / 1000);
}

process.on("message", (msg: ToWorker) => {
  if (msg?.type !== "render") return;
  try {
    const { pdf, stats, contentHash: hash } = run(msg.job);
    // Through a file, not the IPC channel: Node reassembles a large message by concatenating its
    // chunks, several copies of a ~0.5 MB PDF on the server's event loop per export.
    const file = path.join(outDir!, `${process.pid}-${msg.id}.pdf`);
    fs.writeFileSync(file, pdf);
    send({ type: "done", id: msg.id, file, stats, contentHash: hash });
  } catch (err) {
    const code = err instanceof PdfExportError ? err.code : "compile_failed";
    send({ type: "failed", id: msg.id, code, message: err instanceof Error ? err.message : String(err) });
  }
});

// The parent went away: nothing left to render for.
process.on("disconnect", () => process.exit(0));
