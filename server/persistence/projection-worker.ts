/**
 * The projection thread (started by projection-runner.ts). Decoding a briefing, converting it
 * through the shared schema and diffing it against its rows takes ~100 ms for a 50-page brief, so
 * it runs here with its own database connection, never on the event loop that carries live edits:
 * a SQLite connection (WAL lets it write beside the server's) or a PostgreSQL pool of two
 * (docs/decisions/0111). Jobs arrive one at a time.
 */
import { parentPort, threadId, workerData } from "node:worker_threads";
import { openDatabase } from "../../db/client";
import { openPostgres } from "../../db/pg/client";
import { loadPgDriver } from "../../db/pg/driver";
import { createLogger } from "../logger";
import { writeProjectionRowsPg } from "./pg-projection-store";
import { projectionOfState, writeProjection, type Projection } from "./projection";
import type { WriteStats, ProjectionResult } from "./projection-store";
import type { FromProjectionWorker, ProjectJob, ProjectionDatabase, ProjectionWorkerData } from "./projection-worker-protocol";

const port = parentPort;
const data = workerData as ProjectionWorkerData | undefined;
if (!port || !data?.database) throw new Error("projection worker: started without a parent port or a database");

interface Writer {
  write(briefingId: string, projection: Projection): Promise<(ProjectionResult & WriteStats) | null>;
  close(): Promise<void>;
}

function openWriter(database: ProjectionDatabase): Writer {
  if (database.dialect === "pg") {
    // Two: one projection at a time needs one; the second covers a connection being replaced.
    const pg = openPostgres(database.url, { max: 2 });
    return { write: (id, projection) => writeProjectionRowsPg(pg, id, projection), close: () => pg.$client.end() };
  }
  const db = openDatabase(database.path);
  return {
    write: async (id, projection) => writeProjection(db, id, projection),
    close: async () => {
      db.$client.close();
    },
  };
}

const logger = createLogger(data.logLevel);
if (data.database.dialect === "pg") await loadPgDriver();
const writer = openWriter(data.database);
const send = (msg: FromProjectionWorker) => port.postMessage(msg);

port.on("message", (job: ProjectJob) => {
  if (job?.type !== "project") return;
  const started = performance.now();
  const failed = (err: unknown) =>
    send({ type: "failed", id: job.id, message: err instanceof Error ? err.message : String(err), ms: performance.now() - started });
  try {
    writer.write(job.briefingId, projectionOfState(job.state)).then((result) => send({ type: "done", id: job.id, result, ms: performance.now() - started }), failed);
  } catch (err) {
    failed(err);
  }
});
port.once("close", () => void writer.close().catch(() => {}));

logger.info("projection", "projection worker started", { threadId, dialect: data.database.dialect });
send({ type: "ready" });
