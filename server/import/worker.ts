/**
 * A conversion thread (started by runner.ts). Unzipping and converting a long document takes
 * hundreds of milliseconds and memory the file chooses, so it runs here, under a heap limit and a
 * time limit, never on the event loop that carries live edits. The thread is kept between imports
 * (mammoth and the schema stay loaded and compiled); jobs arrive one at a time.
 */
import { parentPort } from "node:worker_threads";
import { convertDocx } from "./convert";
import { isImportError } from "./errors";
import type { FromImportWorker, ImportJob } from "./worker-protocol";

const port = parentPort;
if (!port) throw new Error("import worker: started without a parent port");

port.on("message", (job: ImportJob) => {
  if (job?.type !== "convert") return;
  convertDocx(job.bytes, job.limits).then(
    ({ state, warnings }) => port.postMessage({ id: job.id, ok: true, state, warnings } satisfies FromImportWorker, [state.buffer as ArrayBuffer]),
    (err: unknown) =>
      port.postMessage({
        id: job.id,
        ok: false,
        code: isImportError(err) ? err.code : null,
        message: err instanceof Error ? err.message : String(err),
      } satisfies FromImportWorker),
  );
});
