// How a scenario is measured when the machine may be shared: each scenario runs `repeat` times,
// the servers alternate which goes first, every run starts fresh servers, and the CPU that other
// processes (not this benchmark, its clients or its servers) used during each run is recorded.
// A run during which others used more than `busyCores` of a core is marked busy and taken again,
// at most `repeat` more times; the report gives the median and the spread (min–max) of the kept
// runs and says how many of them were busy.
import fs from "node:fs";
import { median } from "./util";

const CLOCK_TICKS = 100; // getconf CLK_TCK on Linux x86-64/arm64

/** Busy jiffies of the whole machine (all CPUs) from the first line of /proc/stat. */
function machineBusyTicks(): number {
  const cpu = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest is already in user)
  const [user, nice, system, , , irq, softirq, steal] = cpu;
  return user + nice + system + irq + softirq + (steal ?? 0);
}

/**
 * utime+stime of one process (all its threads) plus cutime+cstime, the CPU of its children that
 * ended and were reaped; in ticks; 0 once it is gone. Summed over a process tree, this only grows:
 * a child that ends moves its total into its parent's.
 */
function processTicks(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  } catch {
    return 0;
  }
}

/** This process and every descendant (servers, their render processes, client processes). */
function ourProcesses(): number[] {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // ended meanwhile
    }
  }
  const ours = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parents) if (!ours.has(pid) && ours.has(ppid)) grew = ours.add(pid).size > 0;
  }
  return [...ours];
}

export interface OthersReading {
  /** Cores' worth of CPU other processes used during the run (1 = one core fully busy). */
  othersCores: number;
  seconds: number;
}

/**
 * Starts measuring the CPU of everything else: the machine's busy ticks minus those of this process
 * tree. The tree's total counts the servers and clients a run starts and stops in between (a server
 * restarted by a scenario), through the reaped children's times of their parents; a process that
 * nobody in the tree reaped is counted as other (an overestimate of how busy the machine was).
 */
export function startOthersMeter(): () => OthersReading {
  const t0 = performance.now();
  const busy0 = machineBusyTicks();
  const ours0 = treeTicks();
  return () => {
    const busy1 = machineBusyTicks();
    const oursTicks = Math.max(0, treeTicks() - ours0);
    const seconds = (performance.now() - t0) / 1000;
    const othersTicks = Math.max(0, busy1 - busy0 - oursTicks);
    return { othersCores: seconds > 0 ? othersTicks / CLOCK_TICKS / seconds : 0, seconds };
  };
}

function treeTicks(): number {
  return ourProcesses().reduce((sum, pid) => sum + processTicks(pid), 0);
}

export type Order = "ours first" | "reference first";
export type Measured = Record<string, number>;

export interface RepeatOptions {
  repeat: number;
  /** Others' CPU (in cores) above which a run counts as taken on a busy machine. */
  busyCores: number;
  log?: (message: string) => void;
}

export interface RunRecord {
  order: Order;
  othersCores: number;
  busy: boolean;
  values: Measured;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export interface Repeated {
  runs: RunRecord[];
  /** Per metric name: median and spread over the kept runs. */
  stats: Record<string, Spread>;
  busyRuns: number;
  /** The most other processes used during any kept run, in cores. */
  maxOthersCores: number;
}

/**
 * Runs `run` `repeat` times (run i starts with ours when i is even), each measured for others' CPU.
 * Busy runs are taken again up to `repeat` extra times; when quiet runs are too few, the busy ones
 * are kept and marked. `run` starts and stops its own servers.
 */
export async function repeated(name: string, opts: RepeatOptions, run: (order: Order, index: number) => Promise<Measured>): Promise<Repeated> {
  const quiet: RunRecord[] = [];
  const busy: RunRecord[] = [];
  // `repeat` runs, plus one more for each busy one, at most `repeat` more in all.
  for (let i = 0; quiet.length < opts.repeat && i < opts.repeat * 2; i++) {
    const order: Order = i % 2 === 0 ? "ours first" : "reference first";
    const stop = startOthersMeter();
    const values = await run(order, i);
    const { othersCores } = stop();
    const record: RunRecord = { order, othersCores, busy: othersCores > opts.busyCores, values };
    (record.busy ? busy : quiet).push(record);
    opts.log?.(`${name}: run ${i + 1} (${order}) others used ${othersCores.toFixed(2)} cores${record.busy ? " — busy, taken again" : ""}`);
  }
  const kept = quiet.length >= opts.repeat ? quiet.slice(0, opts.repeat) : [...quiet, ...busy.slice(0, opts.repeat - quiet.length)];
  const stats: Record<string, Spread> = {};
  for (const key of new Set(kept.flatMap((r) => Object.keys(r.values)))) {
    const values = kept.map((r) => r.values[key]).filter((v) => Number.isFinite(v));
    stats[key] = { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length };
  }
  return {
    runs: kept,
    stats,
    busyRuns: kept.filter((r) => r.busy).length,
    maxOthersCores: Math.max(0, ...kept.map((r) => r.othersCores)),
  };
}

/** "12.3 ms (11.9–13.0)": the median and the spread of the kept runs, in a row's unit. */
export function fmtSpread(s: Spread | undefined, fmt: (v: number) => string): string {
  if (!s || s.runs === 0) return "—";
  return s.runs === 1 ? fmt(s.median) : `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
}

/** What a row says about the machine during its runs. */
export function busyNote(r: Repeated): string {
  const n = r.runs.length;
  return r.busyRuns > 0
    ? `BUSY MACHINE: ${r.busyRuns} of ${n} run${n === 1 ? "" : "s"} with others using up to ${r.maxOthersCores.toFixed(2)} cores`
    : `${n} quiet run${n === 1 ? "" : "s"} (others ≤ ${r.maxOthersCores.toFixed(2)} cores)`;
}
