/**
 * The document export thread (started by document-service.ts): reads the brief, builds the same
 * model the PDF prints and writes it as Word or Markdown. Zipping a 50-page brief takes a few
 * hundred milliseconds of synchronous work, which must not stall live editing on the server's loop.
 */
import { parentPort } from "node:worker_threads";
import { updateToJSON } from "./document-json";
import { loadDocxFonts, renderDocx } from "./docx";
import type { DocumentJob, FromDocumentWorker, ToDocumentWorker } from "./docx-worker-protocol";
import { PdfExportError } from "./errors";
import { renderMarkdown } from "./markdown";
import { buildExportModel } from "./model";

const port = parentPort;
if (!port) throw new Error("docx-worker.ts runs as a worker thread");

const fonts = loadDocxFonts();

async function run(job: DocumentJob): Promise<Uint8Array> {
  const doc = job.doc ?? (job.update ? updateToJSON(job.update) : null);
  if (!doc) throw new PdfExportError("no_document", "Nothing to export: the job carried no document.");
  const model = buildExportModel(doc, { ...job.info, exportedAt: new Date(job.info.exportedAt) });
  if (job.format === "md") return Buffer.from(renderMarkdown(model), "utf8");
  return renderDocx(model, fonts);
}

port.on("message", (msg: ToDocumentWorker) => {
  if (msg?.type !== "render") return;
  const t0 = performance.now();
  run(msg.job).then(
    (bytes) => {
      // A view of exactly these bytes, so the transfer moves nothing else (Buffers share a pool).
      const own = new Uint8Array(bytes.byteLength);
      own.set(bytes);
      const done: FromDocumentWorker = { type: "done", id: msg.id, bytes: own, ms: performance.now() - t0 };
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
