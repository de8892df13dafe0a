import path from "node:path";
import { Worker } from "node:worker_threads";

/**
 * Another connection to a SQLite file holding its write lock, the way the projection or history
 * thread holds it while it commits. It runs in a thread of its own with its own better-sqlite3
 * connection, and is told to let go through shared memory, so a synchronous transaction on this
 * thread that waits for the lock (SQLite's busy handler sleeps the thread) does not stop it.
 */
export interface WriteLockHolder {
  /** Lets the lock go `afterMs` after this call, whatever this thread is doing by then. */
  release(afterMs: number): void;
  /** Resolves once the holder committed and closed its connection. */
  done: Promise<void>;
}

const HOLDER = `
const { workerData, parentPort } = require("node:worker_threads");
const Database = require("node:module").createRequire(workerData.base)("better-sqlite3");
const flag = new Int32Array(workerData.flag);
const db = new Database(workerData.file);
db.exec("begin immediate");
parentPort.postMessage("locked");
Atomics.wait(flag, 0, 0);
Atomics.wait(flag, 1, 0, Atomics.load(flag, 0));
db.exec("commit");
db.close();
parentPort.postMessage("done");
`;

/** Takes the write lock of `file` on another connection; resolves once it is held. */
export async function holdWriteLock(file: string): Promise<WriteLockHolder> {
  const shared = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  const flag = new Int32Array(shared);
  const worker = new Worker(HOLDER, { eval: true, workerData: { file, flag: shared, base: path.join(process.cwd(), "package.json") } });
  let locked!: () => void;
  const held = new Promise<void>((resolve) => (locked = resolve));
  const done = new Promise<void>((resolve, reject) => {
    worker.on("message", (m) => (m === "locked" ? locked() : resolve()));
    worker.once("error", reject);
    worker.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`the lock holder exited with ${code}`))));
  });
  done.catch(() => {});
  // Waits for the lock itself (not a timer), so the caller's next statement meets it held.
  await Promise.race([held, done]);
  return {
    release(afterMs) {
      Atomics.store(flag, 0, Math.max(1, afterMs));
      Atomics.notify(flag, 0);
    },
    done,
  };
}
