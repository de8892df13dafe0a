import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

/**
 * A private PostgreSQL cluster for the test run: `initdb` in a temporary directory, the server on a
 * free loopback port with its unix socket in that directory, trust authentication (nothing else can
 * reach it). The global setup reserves the directory (SD_PG_RUN_DIR) and stops the cluster at the
 * end; the first test file that needs it starts it, the others wait for it and each gets a database
 * of its own. A file run without the global setup starts and stops a cluster of its own.
 */

const BIN_NAMES = ["initdb", "pg_ctl", "postgres"];

/** The directory holding initdb, pg_ctl and postgres: on PATH, else Debian's /usr/lib/postgresql/<n>/bin. */
export function postgresBinDir(): string | null {
  const has = (dir: string) => BIN_NAMES.every((b) => fs.existsSync(path.join(dir, b)));
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) if (dir && has(dir)) return dir;
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (has(path.join(root, v, "bin"))) return path.join(root, v, "bin");
  return null;
}

/** Whether PostgreSQL is installed; without it the Postgres tests skip loudly, or fail with REQUIRE_POSTGRES=1. */
export function postgresAvailable(): boolean {
  const ok = postgresBinDir() !== null;
  if (!ok) {
    const msg = "PostgreSQL (initdb, pg_ctl, postgres) not found on PATH or in /usr/lib/postgresql/*/bin: the Postgres tests cannot run (apt-get install postgresql).";
    if (process.env.REQUIRE_POSTGRES === "1") throw new Error(msg);
    process.stderr.write(`\n*** SKIPPING POSTGRES TESTS *** ${msg}\n\n`);
  }
  return ok;
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** Runs a PostgreSQL program, as the `postgres` OS user when we are root (the server refuses root). */
function run(bin: string, args: string[]): string {
  const dir = postgresBinDir();
  if (!dir) throw new Error("PostgreSQL is not installed");
  const [cmd, argv] = isRoot() ? ["runuser", ["-u", "postgres", "--", path.join(dir, bin), ...args]] : [path.join(dir, bin), args];
  const r = spawnSync(cmd, argv, { encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Makes `dir` the postgres user's when we are root, so the server can write its files and socket there. */
function handOver(dir: string): void {
  if (isRoot()) {
    const r = spawnSync("chown", ["-R", "postgres:postgres", dir]);
    if (r.status !== 0) throw new Error(`chown postgres ${dir} failed: ${r.stderr}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Reserves the run's cluster directory (global setup); returns the teardown that stops and removes it. */
export function reservePostgresRun(): () => void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "summit-pg-"));
  process.env.SD_PG_RUN_DIR = dir;
  return () => stopPostgresCluster(dir);
}

/** Stops the cluster in `runDir` (if it runs) and removes the directory. */
export function stopPostgresCluster(runDir: string): void {
  const data = path.join(runDir, "data");
  if (fs.existsSync(path.join(data, "postmaster.pid"))) {
    try {
      run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    } catch (err) {
      process.stderr.write(`stopping the test PostgreSQL failed: ${(err as Error).message}\n`);
    }
  }
  fs.rmSync(runDir, { recursive: true, force: true });
}

/** Settings for a throwaway test cluster: no fsync, nothing of it needs to survive a crash. */
const TEST_SETTINGS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off";

/**
 * `initdb` in `runDir`/data and the server on a free loopback port (its socket in `runDir`); the
 * base URL, no database. `durable` keeps PostgreSQL's default fsync and commit settings (a
 * benchmark that compares with a durable SQLite file); tests turn them off.
 */
export async function startPostgresCluster(runDir: string, opts: { durable?: boolean } = {}): Promise<string> {
  const data = path.join(runDir, "data");
  handOver(runDir);
  // C locale on purpose: search folding must not depend on the server's locale (ADR 0111).
  run("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"]);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const options = `-p ${port} -k ${runDir} -h 127.0.0.1${opts.durable ? "" : ` ${TEST_SETTINGS}`}`;
    try {
      run("pg_ctl", ["-D", data, "-l", path.join(runDir, "server.log"), "-w", "-t", "60", "-o", options, "start"]);
      return `postgres://postgres@127.0.0.1:${port}`;
    } catch (err) {
      // Another process took the port between freePort() and the bind: try another.
      lastError = err;
    }
  }
  const log = fs.existsSync(path.join(runDir, "server.log")) ? fs.readFileSync(path.join(runDir, "server.log"), "utf8").slice(-2000) : "";
  throw new Error(`the test PostgreSQL did not start: ${(lastError as Error).message}\n${log}`);
}

let clusterPromise: Promise<string> | null = null;

/** The cluster's base URL (no database), starting it when this is the first file that needs it. */
function cluster(): Promise<string> {
  clusterPromise ??= (async () => {
    let runDir = process.env.SD_PG_RUN_DIR;
    if (!runDir) {
      runDir = fs.mkdtempSync(path.join(os.tmpdir(), "summit-pg-"));
      const own = runDir;
      process.once("exit", () => stopPostgresCluster(own));
    }
    const urlFile = path.join(runDir, "url");
    const failedFile = path.join(runDir, "failed");
    let owner = false;
    try {
      fs.mkdirSync(path.join(runDir, "starting"));
      owner = true;
    } catch {
      /* another test file is starting it */
    }
    if (owner) {
      try {
        const url = await startPostgresCluster(runDir);
        fs.writeFileSync(`${urlFile}.tmp`, url);
        fs.renameSync(`${urlFile}.tmp`, urlFile);
        return url;
      } catch (err) {
        fs.writeFileSync(failedFile, (err as Error).message);
        throw err;
      }
    }
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (fs.existsSync(urlFile)) return fs.readFileSync(urlFile, "utf8");
      if (fs.existsSync(failedFile)) throw new Error(`the test PostgreSQL did not start:\n${fs.readFileSync(failedFile, "utf8")}`);
      if (Date.now() > deadline) throw new Error("waited 120 s for another test file to start the test PostgreSQL");
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return clusterPromise;
}

export interface TestPostgres {
  /** postgres://… of a database of this test file's own, empty. */
  url: string;
  /**
   * Drops the database (the cluster stops with the run). It first waits, up to `waitMs`, for the
   * database's connections to close: `pool.end()` resolves once each client has been told to end,
   * not when its connection has gone, and a forced drop terminates such a connection with FATAL
   * 57P01, which an ended pool's client reports as an unhandled 'error'. Connections still open at
   * the deadline (a test that forgot to close one) are terminated.
   */
  drop(opts?: { waitMs?: number }): Promise<void>;
}

/** How many connections are open to database `name` (`admin` is connected to another one). */
async function connectionsTo(admin: pg.Client, name: string): Promise<number> {
  const { rows } = await admin.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where datname = $1", [name]);
  return rows[0].n;
}

let databases = 0;

/** A new, empty database in the run's cluster. */
export async function createPostgresDatabase(): Promise<TestPostgres> {
  const base = await cluster();
  const name = `summit_${process.pid}_${++databases}`;
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `${base}/${name}`,
    async drop({ waitMs = 10_000 } = {}) {
      const c = new pg.Client({ connectionString: `${base}/postgres` });
      await c.connect();
      try {
        const deadline = Date.now() + waitMs;
        let open = await connectionsTo(c, name);
        while (open > 0 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 20));
          open = await connectionsTo(c, name);
        }
        if (open > 0) process.stderr.write(`test PostgreSQL: ${open} connection(s) to ${name} still open ${waitMs} ms after the test; terminating them\n`);
        await c.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Runs one query on its own connection to `url` (a test's look at what the server stored). */
export async function queryPostgres<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}
