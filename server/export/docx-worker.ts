/**
 * The document export thread (started by document-service.ts): reads the brief, builds the same
 * model the PDF prints and writes it as Word or Markdown. Zipping a 50-page brief takes a few
 * hundred milliseconds of synchronous work, which must not stall live editing on the server's loop.
 */
import { parentPort } from "node:worker_threads";
import { loadDocxFonts, renderDocx } from "./docx";
import type { DocumentJob, FromDocumentWorker, ToDocumentWorker } from "./docx-worker-protocol";
import { PdfExportError } from "./errors";
import { renderMarkdown } from "./markdown";
import { buildExportModel } from "./model";
import { readJob } from "./read-job";

const port = parentPort;
if (!port) throw new Error("docx-worker.ts runs as a worker thread");

const fonts = loadDocxFonts();

/** The file, and the draft's hash when asked: the same reading of the job as the PDF's (read-job.ts). */
async function run(job: DocumentJob): Promise<{ bytes: Uint8Array; hash?: string }> {
  const { doc, hash } = readJob(job);
  const model = buildExportModel(doc, { ...job.info, exportedAt: new Date(job.info.exportedAt) });
  if (job.format === "md") return { bytes: Buffer.from(renderMarkdown(model), "utf8"), hash };
  return { bytes: await renderDocx(model, fonts), hash };
}

port.on("message", (msg: ToDocumentWorker) => {
  if (msg?.type !== "render") return;
  const t0 = performance.now();
  run(msg.job).then(
    ({ bytes, hash }) => {
      // A view of exactly these bytes, so the transfer moves nothing else (Buffers share a pool).
      const own = new Uint8Array(bytes.byteLength);
      own.set(bytes);
      const done: FromDocumentWorker = { type: "done", id: msg.id, bytes: own, ms: performance.now() - t0, contentHash: hash };
      port.postMessage(done, [own.buffer]);
    },
    (err: unknown) => {
      const code = err instanceof PdfExportError ? err.code : "compile_failed";
      const failed: FromDocumentWorker = { type: "failed", id: msg.id, code, message: err instanceof Error ? err.message : String(err) };
      port.postMessage(failed);
    },
  );
});

port.postMessage({ type: "ready" } satisfies FromDocumentWorker);
