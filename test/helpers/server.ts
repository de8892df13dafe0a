import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createPostgresDatabase } from "./postgres";

export interface TestServer {
  url: string;
  port: number;
  databasePath: string;
  /** The PostgreSQL database the server runs on (DATABASE_URL), or null on SQLite. */
  databaseUrl: string | null;
  process: ChildProcess;
  /** Every log line the server printed (JSON objects), for assertions and for debugging failures. */
  logs: Record<string, unknown>[];
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
}

export interface StartOptions {
  /** Reuse a database file (to restart a server on the same data). */
  databasePath?: string;
  /**
   * Run on this PostgreSQL database (DATABASE_URL; one from test/helpers/postgres.ts), e.g. to
   * restart on the same data. Without it and without `databasePath`, `TEST_DATABASE=postgres`
   * gives each start a fresh database of the run's cluster, as each start otherwise gets a fresh file.
   */
  databaseUrl?: string;
  env?: Record<string, string>;
  /** Node options before the entry (e.g. `--import` of a test fixture). */
  execArgv?: string[];
}

const tempDirs: string[] = [];

/** A fresh temporary directory that is removed when the process exits (one listener for all). */
export function tempDir(prefix = "summit-desk-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (tempDirs.push(dir) === 1) {
    process.once("exit", () => {
      for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}

/** The compiled server the global setup built (`build/server/index.js` of that build). */
export function serverEntry(): string {
  const dir = process.env.SD_BUILD_DIR;
  if (!dir) throw new Error("SD_BUILD_DIR is not set: the test global setup builds the server");
  return path.join(dir, "server", "index.js");
}

/**
 * Starts the real, compiled server as a child process on an ephemeral port with its own
 * SQLite file (or PostgreSQL database, see `databaseUrl`), seeded with the demo data unless
 * SEED_DEMO=0 is passed.
 */
export async function startTestServer(opts: StartOptions = {}): Promise<TestServer> {
  const databasePath = opts.databasePath ?? path.join(tempDir(), "test.db");
  const databaseUrl =
    opts.databaseUrl ?? (process.env.TEST_DATABASE === "postgres" && !opts.databasePath ? (await createPostgresDatabase()).url : null);
  const child = spawn(process.execPath, [...(opts.execArgv ?? []), serverEntry()], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    env: {
      ...process.env,
      NODE_ENV: "test",
      HOST: "127.0.0.1",
      PORT: "0",
      DATABASE_PATH: databasePath,
      DATABASE_URL: databaseUrl ?? "",
      LOG_LEVEL: "info",
      SESSION_SECRET: "test-secret-test-secret-test-secret",
      COLLAB_FLUSH_MS: "20",
      PROJECTION_DEBOUNCE_MS: "100",
      // Every test client signs in from 127.0.0.1; the per-address limit has its own test.
      AUTH_ATTEMPTS_PER_ADDRESS: "100000",
      // Tests write comments much faster than people; the comment limit has its own test.
      COMMENT_RATE_BURST: "100000",
      EXIT_WITH_PARENT: "true",
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${stderr}`)), 60_000);
    const onLine = (line: string) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.message === "listening" && typeof entry.url === "string") {
          clearTimeout(timer);
          resolve(entry.url);
        }
      } catch {
        /* not a log line */
      }
    };
    child.stdout!.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      let i;
      while ((i = buffer.indexOf("\n")) >= 0) {
        onLine(buffer.slice(0, i));
        buffer = buffer.slice(i + 1);
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      for (const line of chunk.toString().split("\n")) if (line.trim()) onLine(line);
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${stderr}`));
    });
  });

  // A server that dies on its own is a finding, not noise: say why, with its last error lines.
  let stopping = false;
  void exited.then((code) => {
    if (stopping) return;
    const errors = logs.filter((l) => l.level === "error").slice(-5);
    process.stderr.write(`\n*** test server on ${url} exited by itself with code ${code}; last errors:\n${errors.map((e) => JSON.stringify(e)).join("\n")}\n${stderr.slice(-2000)}\n`);
  });
  const port = Number(new URL(url).port);
  return {
    url,
    port,
    databasePath,
    databaseUrl,
    process: child,
    logs,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      stopping = true;
      child.kill("SIGTERM");
      return exited;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode) return;
      stopping = true;
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/**
 * `n` instances of the real server on ONE database, each with `REDIS_URL`, as several instances
 * behind a load balancer would run (docs/deployment.md). The database is `opts.databaseUrl` (one
 * PostgreSQL database for all), else a fresh PostgreSQL database under `TEST_DATABASE=postgres`
 * (unless `opts.databasePath` names a file), else one SQLite file (WAL mode, one host).
 * On PostgreSQL all instances start at once: migrations and the seed run under advisory locks, so
 * instances starting together is a case they handle. On SQLite the first migrates and seeds the
 * file before the others start, so they never race for it.
 */
export async function startTestCluster(n: number, redisUrl: string, opts: StartOptions = {}): Promise<TestServer[]> {
  const env = { ...opts.env, REDIS_URL: redisUrl };
  const databaseUrl = opts.databaseUrl ?? (process.env.TEST_DATABASE === "postgres" && !opts.databasePath ? (await createPostgresDatabase()).url : undefined);
  if (databaseUrl) return Promise.all(Array.from({ length: n }, () => startTestServer({ ...opts, databaseUrl, env })));
  const databasePath = opts.databasePath ?? path.join(tempDir(), "cluster.db");
  const first = await startTestServer({ ...opts, databasePath, env });
  const rest = await Promise.all(Array.from({ length: n - 1 }, () => startTestServer({ ...opts, databasePath, env })));
  return [first, ...rest];
}
