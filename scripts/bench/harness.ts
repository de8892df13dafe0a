// What every scenario of `npm run bench` shares: the repeated method's runs with fresh servers
// (method.ts), and rows built from their medians and spreads. Each row carries two verdicts, one
// against the reference in the same runs (ours ≤ 1.0× its median) and one against the DESIGN.md
// target, and says whether its runs were taken on a busy machine.
import type { Fixtures } from "./fixtures";
import { busyNote, fmtSpread, repeated, type Measured, type Order, type RepeatOptions, type Repeated } from "./method";
import type { ClientProcess } from "./processes";
import { ratio, type Row, type Verdict } from "./report";
import type { Side } from "./sides";
import type { Sizes } from "./sizes";

export interface BenchContext {
  quick: boolean;
  sizes: Sizes;
  method: RepeatOptions;
  rows: Row[];
  details: string[];
  fixtures: Fixtures;
  databasePath: string;
  writer: ClientProcess;
  joiner: ClientProcess;
  receivers: ClientProcess[];
  /** A fresh server of ours on the bench database; `env` adds settings (e.g. a looser rate limit). */
  ours(env?: Record<string, string>): Promise<Side>;
  reference(): Promise<Side>;
  log(message: string): void;
}

/** One numbered scenario of the table; index.ts lists them and runs those `--only=` selects. */
export interface Scenario {
  /** Its numbers in the table (`--only=` matches any of them). */
  numbers: number[];
  name: string;
  run(ctx: BenchContext): Promise<void>;
}

/** Lets a run replace its server (a restart on the same database); the replacement is stopped instead. */
export type Swap = (next: Side) => void;

async function measureSide(kind: Side["kind"], ctx: BenchContext, fn: (side: Side, swap: Swap) => Promise<Measured>): Promise<Measured> {
  let side = kind === "ours" ? await ctx.ours() : await ctx.reference();
  const out: Measured = {};
  try {
    for (const [k, v] of Object.entries(await fn(side, (next) => (side = next)))) out[`${kind}.${k}`] = v;
  } finally {
    await side.stop();
  }
  return out;
}

/** Starts both servers fresh, one after the other in `order`, measures each with `fn`, stops it. */
export async function pair(ctx: BenchContext, order: Order, fn: (side: Side, swap: Swap) => Promise<Measured>): Promise<Measured> {
  const kinds: Side["kind"][] = order === "ours first" ? ["ours", "reference"] : ["reference", "ours"];
  const out: Measured = {};
  for (const kind of kinds) Object.assign(out, await measureSide(kind, ctx, fn));
  return out;
}

/** Our server alone (a scenario the reference cannot run: persistence, exports, pages), fresh per run. */
export function oursOnly(ctx: BenchContext, fn: (side: Side, swap: Swap) => Promise<Measured>): Promise<Measured> {
  return measureSide("ours", ctx, fn);
}

/** Runs a scenario by the repeated method; `run` gets the order of this run. */
export function repeat(ctx: BenchContext, name: string, run: (order: Order) => Promise<Measured>): Promise<Repeated> {
  return repeated(name, { ...ctx.method, log: ctx.log }, run);
}

const verdict = (ok: boolean): Verdict => (ok ? "pass" : "FAIL");

/** Per-line machine note: quiet, or how many of the line's runs were busy. */
export function machineNote(r: Repeated): string {
  const n = r.runs.length;
  return r.busyRuns > 0 ? `BUSY (${r.busyRuns}/${n} runs, others ≤ ${r.maxOthersCores.toFixed(2)} cores)` : `quiet (${n} runs)`;
}

export interface LineOptions {
  /** The DESIGN.md target as written in the table. */
  target?: string;
  /** Whether the median meets that target (ours' median, and the reference's when there is one). */
  meets?: (ours: number, reference: number) => boolean;
  /** Compare with the reference (ours ≤ 1.0×); off for figures where lower is not better. */
  compare?: boolean;
}

/** A figure both servers have: "median (min–max)" for each, the ratio of medians, both verdicts. */
export function compareLine(r: Repeated, scenario: string, metric: string, key: string, fmt: (v: number) => string, opts: LineOptions = {}): Row {
  const o = r.stats[`ours.${key}`]?.median;
  const ref = r.stats[`reference.${key}`]?.median;
  const known = Number.isFinite(o) && Number.isFinite(ref);
  return {
    scenario,
    metric,
    ours: fmtSpread(r.stats[`ours.${key}`], fmt),
    reference: fmtSpread(r.stats[`reference.${key}`], fmt),
    ratio: ratio(o, ref),
    versusReference: opts.compare === false || !known ? "—" : verdict(o <= ref),
    target: opts.target ?? "—",
    verdict: opts.meets ? verdict(known && opts.meets(o, ref)) : "info",
    machine: machineNote(r),
  };
}

/** A figure of ours alone; `reference` says why the reference has none. */
export function oursLine(r: Repeated, scenario: string, metric: string, key: string, fmt: (v: number) => string, opts: LineOptions & { reference?: string } = {}): Row {
  const o = r.stats[`ours.${key}`]?.median;
  return {
    scenario,
    metric,
    ours: fmtSpread(r.stats[`ours.${key}`], fmt),
    reference: opts.reference ?? "n/a",
    ratio: "—",
    versusReference: "—",
    target: opts.target ?? "—",
    verdict: opts.meets ? verdict(Number.isFinite(o) && opts.meets(o, NaN)) : "info",
    machine: machineNote(r),
  };
}

/** "yes (3/3)" or "NO (1/3)": a yes/no figure (1 or 0 per run) over the kept runs. */
export function fmtAll(r: Repeated, key: string): string {
  const values = r.runs.map((x) => x.values[key]).filter((v) => v !== undefined);
  if (values.length === 0) return "—";
  const yes = values.filter((v) => v === 1).length;
  return `${yes === values.length ? "yes" : "NO"} (${yes}/${values.length})`;
}

/** A yes/no line that must hold in every run (for ours; the reference's is shown when it has one). */
export function allLine(r: Repeated, scenario: string, metric: string, key: string, target: string, reference?: string): Row {
  const values = r.runs.map((x) => x.values[`ours.${key}`]);
  return {
    scenario,
    metric,
    ours: fmtAll(r, `ours.${key}`),
    reference: reference ?? fmtAll(r, `reference.${key}`),
    ratio: "—",
    versusReference: "—",
    target,
    verdict: verdict(values.length > 0 && values.every((v) => v === 1)),
    machine: machineNote(r),
  };
}

/** The line under a scenario that says how many of its runs were busy (and how busy). */
export function noteLine(r: Repeated, scenario: string): Row {
  return {
    scenario,
    metric: "machine during the runs",
    ours: busyNote(r),
    reference: "",
    ratio: "—",
    versusReference: "—",
    target: "quiet",
    verdict: r.busyRuns > 0 ? "info" : "pass",
    machine: machineNote(r),
  };
}

/** Run values as a list for the Details section, e.g. "ours 12.1, 11.8, 13.0". */
export function runList(r: Repeated, key: string, digits = 1): string {
  return r.runs.map((x) => (Number.isFinite(x.values[key]) ? x.values[key].toFixed(digits) : "—")).join(", ");
}
