/**
 * A conversion thread (started by runner.ts, one per import). Unzipping and converting a long
 * document takes hundreds of milliseconds and memory the file chooses, so it runs here, under a
 * heap limit and a time limit, never on the event loop that carries live edits.
 */
import { parentPort, workerData } from "node:worker_threads";
import { convertDocx } from "./convert";
import { isImportError } from "./errors";
import type { FromImportWorker, ImportWorkerData } from "./worker-protocol";

const port = parentPort;
const data = workerData as ImportWorkerData | undefined;
if (!port || !data?.bytes) throw new Error("import worker: started without a parent port or a document");

const send = (msg: FromImportWorker, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

convertDocx(data.bytes, data.limits).then(
  ({ state, warnings }) => send({ ok: true, state, warnings }, [state.buffer as ArrayBuffer]),
  (err: unknown) =>
    send({ ok: false, code: isImportError(err) ? err.code : null, message: err instanceof Error ? err.message : String(err) }),
);
