/**
 * A history thread (started by pool.ts). Rebuilding a version of a 50-page brief, rendering it and
 * comparing two take from tens of milliseconds to a second, so they run here, with a read
 * connection of their own (WAL) or, on PostgreSQL, a pool of two, never on the event loop that
 * carries live edits. Jobs arrive one at a time; the rendered versions this thread has built stay
 * in its cache (the pool sends a briefing's jobs always to the same thread).
 */
import { parentPort, threadId, workerData } from "node:worker_threads";
import { openDatabase } from "../../db/client";
import { loadPgDriver } from "../../db/pg/driver";
import { openPgStore, openSqliteStore, type Store } from "../../db/store";
import { createLogger } from "../logger";
import { isStoredDocumentCorrupt } from "../persistence/corruption";
import { createHistoryEngine } from "./engine";
import { createVersionStore } from "./version-store";
import type { FromHistoryWorker, HistoryClose, HistoryJob, HistoryResult, HistoryWorkerData } from "./worker-protocol";

const port = parentPort;
const data = workerData as HistoryWorkerData | undefined;
if (!port || !(data?.databaseUrl || data?.databasePath)) throw new Error("history worker: started without a parent port or a database");

// On PostgreSQL a pool of `databasePoolMax` (2: jobs run one at a time, the second serves a
// rebuild's reads while the first is still being returned, ADR 0121).
if (data.databaseUrl) await loadPgDriver();
const store: Store = data.databaseUrl ? openPgStore(data.databaseUrl, { max: data.databasePoolMax, applicationName: "summit-desk history" }) : openSqliteStore(openDatabase(data.databasePath));
const logger = createLogger(data.logLevel);
const engine = createHistoryEngine(createVersionStore(store, data.fullEvery), data.cacheBytes);
const send = (msg: FromHistoryWorker) => port.postMessage(msg);

async function run(job: HistoryJob): Promise<HistoryResult> {
  switch (job.type) {
    case "encode":
      return engine.encode(job.briefingId, job.seq, job.state, job.prevVector);
    case "forget":
      engine.forget(job.briefingId, job.seq);
      return null;
    case "prepare":
      await engine.prepare(job.briefingId, job.seq, job.older);
      return null;
    case "state":
      return { state: await engine.state(job.briefingId, job.seq) };
    case "compare":
      return { payload: await engine.comparePayload(job.briefingId, job.older, job.newer, job.clients, job.deleter, job.format, job.authors) };
    case "view":
      return { payload: await engine.view(job.briefingId, job.seq, job.info) };
    case "restore":
      return { restore: await engine.restore(job.briefingId, job.seq, job.live) };
    case "mark":
      return { mark: engine.mark(job.live) };
    case "sinceRead":
      return { since: await engine.sinceRead(job) };
  }
}

/** A payload moves to the main thread instead of being copied (it is built for that, payload.ts). */
function transferables(result: HistoryResult): ArrayBuffer[] {
  return result && "payload" in result && result.payload ? [result.payload] : [];
}

async function handle(job: HistoryJob): Promise<void> {
  const started = performance.now();
  try {
    const result = await run(job);
    // Payloads are transferred; the rest is copied: zlib's small outputs are views of a shared pool, which cannot move.
    port!.postMessage({ type: "done", id: job.id, result, ms: performance.now() - started } satisfies FromHistoryWorker, transferables(result));
  } catch (err) {
    const corrupt = isStoredDocumentCorrupt(err) ? { briefingId: err.briefingId, kind: err.kind, detail: err.detail } : undefined;
    send({ type: "failed", id: job.id, message: err instanceof Error ? err.message : String(err), corrupt });
  }
}

let closing: Promise<void> | null = null;
/** Ends the database connections once: a PostgreSQL pool says goodbye to the server instead of dropping its sockets. */
const closeStore = () =>
  (closing ??= (async () => {
    if (store.dialect === "pg") await store.db.$client.end();
    else store.db.$client.close();
    logger.info("history", "history thread closed its database connections", { threadId, dialect: store.dialect });
  })());

port.on("message", (msg: HistoryJob | HistoryClose) => {
  if (msg.type !== "close") return void handle(msg);
  // With the pool ended and the port closed nothing keeps the thread's loop alive: it exits.
  void closeStore()
    .catch(() => {})
    .then(() => port.close());
});
port.once("close", () => void closeStore().catch(() => {}));
send({ type: "ready" });
