/**
 * A history thread (started by pool.ts). Rebuilding a version of a 50-page brief, rendering it and
 * comparing two take from tens of milliseconds to a second, so they run here, with a read
 * connection of their own (WAL), never on the event loop that carries live edits. Jobs arrive one
 * at a time; the rendered versions this thread has built stay in its cache (the pool sends a
 * briefing's jobs always to the same thread).
 */
import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "../../db/client";
import { isStoredDocumentCorrupt } from "../persistence/corruption";
import { createHistoryEngine } from "./engine";
import { createVersionStore } from "./version-store";
import type { FromHistoryWorker, HistoryJob, HistoryResult, HistoryWorkerData } from "./worker-protocol";

const port = parentPort;
const data = workerData as HistoryWorkerData | undefined;
if (!port || !data?.databasePath) throw new Error("history worker: started without a parent port or a database path");

const db = openDatabase(data.databasePath);
const engine = createHistoryEngine(createVersionStore(db, data.fullEvery), data.cacheBytes);
const send = (msg: FromHistoryWorker) => port.postMessage(msg);

function run(job: HistoryJob): HistoryResult {
  switch (job.type) {
    case "encode":
      return engine.encode(job.briefingId, job.seq, job.state, job.prevVector);
    case "forget":
      engine.forget(job.briefingId, job.seq);
      return null;
    case "state":
      return { state: engine.state(job.briefingId, job.seq) };
    case "compare":
      return { payload: engine.comparePayload(job.briefingId, job.older, job.newer, job.clients, job.deleter, job.format, job.authors) };
    case "view":
      return { payload: engine.view(job.briefingId, job.seq, job.info) };
    case "restore":
      return { restore: engine.restore(job.briefingId, job.seq, job.live) };
    case "mark":
      return { mark: engine.mark(job.live) };
    case "sinceRead":
      return { since: engine.sinceRead(job) };
  }
}

/** A payload moves to the main thread instead of being copied (it is built for that, payload.ts). */
function transferables(result: HistoryResult): ArrayBuffer[] {
  return result && "payload" in result && result.payload ? [result.payload] : [];
}

port.on("message", (job: HistoryJob) => {
  const started = performance.now();
  try {
    const result = run(job);
    // Payloads are transferred; the rest is copied: zlib's small outputs are views of a shared pool, which cannot move.
    port.postMessage({ type: "done", id: job.id, result, ms: performance.now() - started } satisfies FromHistoryWorker, transferables(result));
  } catch (err) {
    const corrupt = isStoredDocumentCorrupt(err) ? { briefingId: err.briefingId, kind: err.kind, detail: err.detail } : undefined;
    send({ type: "failed", id: job.id, message: err instanceof Error ? err.message : String(err), corrupt });
  }
});
port.once("close", () => db.$client.close());
send({ type: "ready" });
