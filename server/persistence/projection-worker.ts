/**
 * The projection thread (started by projection-runner.ts). Decoding a briefing, converting it
 * through the shared schema and diffing it against its rows takes ~100 ms for a 50-page brief, so
 * it runs here with its own SQLite connection (WAL lets it write beside the server's), never on the
 * event loop that carries live edits. Jobs arrive one at a time.
 */
import { parentPort, threadId, workerData } from "node:worker_threads";
import { openDatabase } from "../../db/client";
import { createLogger } from "../logger";
import { projectionOfState, writeProjection } from "./projection";
import type { FromProjectionWorker, ProjectJob, ProjectionWorkerData } from "./projection-worker-protocol";

const port = parentPort;
const data = workerData as ProjectionWorkerData | undefined;
if (!port || !data?.databasePath) throw new Error("projection worker: started without a parent port or a database path");

const logger = createLogger(data.logLevel);
const db = openDatabase(data.databasePath);
const send = (msg: FromProjectionWorker) => port.postMessage(msg);

port.on("message", (job: ProjectJob) => {
  if (job?.type !== "project") return;
  const started = performance.now();
  try {
    const result = writeProjection(db, job.briefingId, projectionOfState(job.state));
    send({ type: "done", id: job.id, result, ms: performance.now() - started });
  } catch (err) {
    send({ type: "failed", id: job.id, message: err instanceof Error ? err.message : String(err), ms: performance.now() - started });
  }
});
port.once("close", () => db.$client.close());

logger.info("projection", "projection worker started", { threadId });
send({ type: "ready" });
