import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { eventually } from "../../test/helpers/yclient";
import { createLogger } from "../logger";
import { isHistoryUnavailable } from "./errors";
import { HistoryPool } from "./pool";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "history-pool-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const options = (databasePath: string, maxQueue = 4, idleMs = 0) => ({
  databasePath,
  fullEvery: 50,
  workers: 1,
  cacheBytes: 1024 * 1024,
  maxQueue,
  timeoutMs: 30_000,
  maxMemoryMb: 128,
  idleMs,
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

  it("starts a briefing's thread on warm without a job, runs the next job on it, and ends it after the idle time", async () => {
    const file = path.join(dir, "warm.db");
    const db = openDatabase(file);
    migrateDatabase(db);
    db.$client.close();
    const pool = new HistoryPool({ ...options(file, 4, 500), workers: 2 });
    expect(pool.threads).toBe(0);
    pool.warm("b1");
    pool.warm("b1"); // a second page view starts nothing more
    expect(pool.threads).toBe(1);
    expect(await pool.run("b1", { type: "state", briefingId: "b1", seq: 1 }, true)).toEqual({ state: null });
    expect(pool.threads).toBe(1);
    await eventually(() => expect(pool.threads).toBe(0), 30_000, 50);
    await pool.close();
    pool.warm("b1"); // closed: nothing starts
    expect(pool.threads).toBe(0);
  }, 60_000);
});
