import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../logger";
import { isHistoryUnavailable } from "./errors";
import { HistoryPool } from "./pool";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "history-pool-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const options = (databasePath: string, maxQueue = 4) => ({
  databasePath,
  fullEvery: 50,
  workers: 1,
  cacheBytes: 1024 * 1024,
  maxQueue,
  timeoutMs: 30_000,
  maxMemoryMb: 128,
  idleMs: 0,
  logger: createLogger("silent"),
});

describe("history pool", () => {
  it("rejects with a typed, retryable error when its thread dies, and the server process goes on", async () => {
    // A directory where the database file should be: the thread cannot open it and ends before it is ready.
    const notAFile = path.join(dir, "dir.db");
    fs.mkdirSync(notAFile);
    const pool = new HistoryPool(options(notAFile));
    const err = await pool.run("b1", { type: "state", briefingId: "b1", seq: 1 }, true).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isHistoryUnavailable(err)).toBe(true);
    expect(err).toMatchObject({ reason: "crashed", httpStatus: 503 });
    expect((err as Error).message).toMatch(/thread doing it stopped/);
    await pool.close();
  }, 60_000);

  it("refuses reads beyond its queue as busy, and every job after close", async () => {
    const pool = new HistoryPool(options(path.join(dir, "none", "x.db"), 1));
    const first = pool.run("b1", { type: "state", briefingId: "b1", seq: 1 }, true).catch((e: unknown) => e);
    const second = await pool.run("b1", { type: "state", briefingId: "b1", seq: 1 }, true).catch((e: unknown) => e);
    expect(second).toMatchObject({ reason: "busy" });
    await pool.close();
    expect(await first).toMatchObject({ code: "history_unavailable" });
    await expect(pool.run("b1", { type: "state", briefingId: "b1", seq: 1 }, true)).rejects.toMatchObject({ reason: "closed" });
  }, 60_000);
});
