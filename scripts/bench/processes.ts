// Child processes of the benchmark: our server, the reference server and the client processes,
// plus what /proc says about a process (CPU seconds, RSS, peak RSS).
import { execFileSync, fork, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { COLLAB_FIELD } from "../../extensions";
import type { WorkerReply } from "./protocol";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/**
 * Where the bench's build lives. `BENCH_PREBUILT=<dir>` runs a build made earlier (say, of the
 * commit before a change) as it is, without building, so two builds can be run in turn (A B A B).
 */
export const BUILD_DIR = process.env.BENCH_PREBUILT || ".build-bench";
const CLOCK_TICKS = 100; // getconf CLK_TCK on Linux x86-64/arm64

export interface ProcStat {
  cpuSeconds: number;
  rssBytes: number;
  peakRssBytes: number;
}

/** utime+stime (all threads) from /proc/<pid>/stat, VmRSS and VmHWM from /proc/<pid>/status. */
export function procStat(pid: number): ProcStat {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces) start at field 3.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
  return { cpuSeconds, rssBytes: kb("VmRSS"), peakRssBytes: kb("VmHWM") };
}

/**
 * A process's CPU at one moment, per thread in nanoseconds (the scheduler's count,
 * /proc/<pid>/task/<tid>/schedstat) and for the whole process in clock ticks (/proc/<pid>/stat).
 */
export interface CpuMark {
  pid: number;
  threads: Map<number, number>;
  ticks: number;
}

function threadNanos(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  let tids: string[];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      out.set(Number(tid), Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]));
    } catch {
      // The thread ended between the listing and the read (or the kernel keeps no schedstat): the tick count covers it.
    }
  }
  return out;
}

export function cpuMark(pid: number): CpuMark {
  const threads = threadNanos(pid);
  return { pid, threads, ticks: procStat(pid).cpuSeconds };
}

/**
 * CPU seconds the process used since `mark`, to the nanosecond where every thread's count could be
 * followed, else in clock ticks. A figure of ~100 ms read in 10 ms ticks (200 deliveries at two
 * clients) moves by 10% with one tick. A thread that ended in between took its own count with it,
 * and one that started and ended in between never showed one; the process's ticks hold both, so
 * when a thread of the mark is gone, or the ticks exceed the per-thread sum by more than their own
 * rounding (two ticks), the ticks are the answer.
 */
export function cpuSecondsSince(mark: CpuMark): number {
  return cpuSecondsBetween(mark, cpuMark(mark.pid));
}

/** CPU seconds between two marks of one process (see `cpuSecondsSince`). */
export function cpuSecondsBetween(mark: CpuMark, now: CpuMark): number {
  const coarse = now.ticks - mark.ticks;
  if (now.threads.size === 0 || mark.threads.size === 0) return coarse;
  for (const tid of mark.threads.keys()) if (!now.threads.has(tid)) return coarse;
  let ns = 0;
  for (const [tid, v] of now.threads) ns += v - (mark.threads.get(tid) ?? 0);
  const precise = ns / 1e9;
  return coarse - precise > 2 / CLOCK_TICKS ? coarse : precise;
}

/** Builds the Remix app into its own directory (never ./build). */
export function buildApp(): void {
  if (process.env.BENCH_PREBUILT) return;
  execFileSync(process.execPath, ["scripts/build.mjs"], {
    cwd: ROOT,
    env: { ...process.env, SD_BUILD_DIR: BUILD_DIR, NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

export interface ServerProcess {
  name: string;
  url: string;
  pid: number;
  child: ChildProcess;
  /** SIGTERM, wait for exit (SIGKILL after `graceMs`); resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/** Every child this run started (servers and client processes), so an abort can end them all. */
const children = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** SIGKILLs every child process of this run that is still running. */
export function killChildren(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

/** Spawns a server and waits for its JSON "listening" log line (with a `url`). */
function spawnServer(name: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<ServerProcess> {
  const child = track(spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] }));
  const log = fs.createWriteStream(logFile, { flags: "a" });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${name} did not start within 30 s (log: ${logFile})`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      buffer += chunk.toString();
      let i;
      while ((i = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        if (!line.includes('"listening"')) continue;
        try {
          const entry = JSON.parse(line) as { message?: string; url?: string };
          if (entry.message === "listening" && entry.url) {
            clearTimeout(timer);
            buffer = "";
            child.stdout!.off("data", onData);
            child.stdout!.on("data", (c: Buffer) => log.write(c));
            resolve({
              name,
              url: entry.url,
              pid: child.pid!,
              child,
              async stop(graceMs = 15_000) {
                if (child.exitCode !== null || child.signalCode) return child.exitCode;
                child.kill("SIGTERM");
                const t = setTimeout(() => child.kill("SIGKILL"), graceMs);
                const code = await exited;
                clearTimeout(t);
                return code;
              },
            });
          }
        } catch {
          /* not a JSON line */
        }
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (c: Buffer) => log.write(c));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening (log: ${logFile})`));
    });
  });
}

export const METRICS_TOKEN = "bench-metrics-token";

/**
 * `BENCH_PROF=<dir> npm run bench` writes a V8 CPU profile of each server to <dir>/<side>/ (the
 * profiler slows both servers: read the profiles for where time goes, not the table's figures);
 * with `BENCH_TRACE_GC=1` as well, each server logs its garbage collections into its log.
 */
function profileArgs(side: "ours" | "reference"): string[] {
  const dir = process.env.BENCH_PROF;
  if (!dir) return [];
  return ["--cpu-prof", `--cpu-prof-dir=${path.join(dir, side)}`, ...(process.env.BENCH_TRACE_GC ? ["--trace-gc"] : [])];
}

/** Our real, compiled server (`npm run build` output) in production mode on 127.0.0.1, port 0, on `databasePath`. */
export function startOurServer(databasePath: string, logFile: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  return spawnServer(
    "ours",
    [...profileArgs("ours"), path.join(BUILD_DIR, "server", "index.js")],
    {
      ...process.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: "0",
      DATABASE_PATH: databasePath,
      SD_BUILD_DIR: BUILD_DIR,
      SESSION_SECRET: "bench-secret-bench-secret-bench-secret",
      METRICS_TOKEN,
      LOG_LEVEL: "info",
      // The bench signs in a few times per server start; keep the sign-in limiter out of the way.
      AUTH_ATTEMPTS_PER_ADDRESS: "10000",
      // Scenarios 11-12 hold 500 sockets of one user open at once (the reference has no such cap); the
      // default of 50 refused the 51st and the run timed out waiting for it to sync.
      COLLAB_MAX_CONNECTIONS_PER_USER: "1000",
      // Production mode no longer seeds by default; the bench signs in as the demo users.
      SEED_DEMO: "true",
      ...env,
    },
    logFile
  );
}

/** @y/websocket-server 0.1.1 (scripts/bench/reference-server.mjs), no persistence, 127.0.0.1, port 0. */
export function startReferenceServer(logFile: string): Promise<ServerProcess> {
  const entry = path.join(ROOT, "scripts/bench/reference-server.mjs");
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: "127.0.0.1", PORT: "0" };
  delete env.YPERSISTENCE;
  delete env.CALLBACK_URL;
  return spawnServer("reference", [...profileArgs("reference"), entry], env, logFile);
}

/** A client process (scripts/bench/worker.ts) driven by request/response over IPC. */
export class ClientProcess {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly ready: Promise<void>;
  private readonly child: ChildProcess;

  constructor(readonly name: string) {
    this.child = track(
      fork(path.join(ROOT, "scripts/bench/worker.ts"), [], {
        cwd: ROOT,
        execArgv: ["--import", "tsx"],
        env: { ...process.env, BENCH_COLLAB_FIELD: COLLAB_FIELD },
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      })
    );
    this.ready = new Promise((resolve, reject) => {
      this.pending.set(0, { resolve: () => resolve(), reject });
    });
    this.child.on("message", (msg: WorkerReply) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(`${this.name}: ${msg.error}`));
      else p.resolve(msg.result);
    });
    this.child.on("exit", (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`${this.name} exited with ${code}`));
      this.pending.clear();
    });
  }

  /** Sends a command; rejects after `timeoutMs` so no step of the bench can hang. */
  call<T = Record<string, unknown>>(cmd: string, args: object, timeoutMs = 120_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${cmd} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.send({ id, cmd, args });
    });
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill("SIGKILL");
  }
}

/** `n` client processes, started in parallel. */
export async function startClients(prefix: string, n: number): Promise<ClientProcess[]> {
  const clients = Array.from({ length: n }, (_, i) => new ClientProcess(`${prefix}${i}`));
  await Promise.all(clients.map((c) => c.ready));
  return clients;
}
