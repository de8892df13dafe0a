// Summarises V8 CPU profiles (.cpuprofile, as `BENCH_PROF=<dir> npm run bench` writes them, one per
// thread): self and total time by function and by file, top N of each.
//
//   node --import tsx scripts/bench/profile-summary.ts <file-or-dir>... [--top=N] [--match=TEXT]
//
// A directory is read for every .cpuprofile in it, each summarised on its own (one file is one
// thread: main thread, projection worker, history workers). `--match` keeps only functions and files
// whose name or path contains TEXT. Total time counts a function once per sample even when it
// recurses. `--callers=TEXT` adds, for the functions whose "name file:line" contains TEXT, their time by the
// chain of up to four callers above them (which of our code paths reach them). Time is the profile's own (wall time while the thread was running JavaScript or native
// code it called, idle and GC shown as "(idle)", "(garbage collector)"), not /proc CPU time.
import fs from "node:fs";
import path from "node:path";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

interface Row {
  self: number;
  total: number;
}

const args = process.argv.slice(2);
const top = Number(args.find((a) => a.startsWith("--top="))?.slice(6) ?? 25);
const match = args.find((a) => a.startsWith("--match="))?.slice(8);
const callersOf = args.find((a) => a.startsWith("--callers="))?.slice(10);
const inputs = args.filter((a) => !a.startsWith("--"));
if (inputs.length === 0) {
  console.error("usage: profile-summary.ts <file-or-dir>... [--top=N] [--match=TEXT]");
  process.exit(2);
}

const files = inputs.flatMap((input) =>
  fs.statSync(input).isDirectory()
    ? fs
        .readdirSync(input)
        .filter((f) => f.endsWith(".cpuprofile"))
        .sort()
        .map((f) => path.join(input, f))
    : [input],
);

/** Shortens a script URL to a path inside the project (or a package), so rows stay readable. */
function shortFile(url: string): string {
  if (!url) return "(native)";
  const clean = url.replace(/^file:\/\//, "");
  const nm = clean.lastIndexOf("node_modules/");
  if (nm >= 0) return clean.slice(nm + "node_modules/".length);
  const build = /\/\.build-[^/]+\//.exec(clean);
  if (build) return clean.slice(build.index + 1);
  return clean.replace(/^.*\/(server|app|db|extensions|scripts)\//, "$1/");
}

function summarise(file: string): void {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const fnKey = (n: ProfileNode) =>
    `${n.callFrame.functionName || "(anonymous)"} ${shortFile(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const fileKey = (n: ProfileNode) => shortFile(n.callFrame.url);

  // Per node: the distinct function and file keys on its stack, computed once.
  const stackKeys = new Map<number, { fns: string[]; files: string[] }>();
  function keysOf(id: number): { fns: string[]; files: string[] } {
    const known = stackKeys.get(id);
    if (known) return known;
    const fns = new Set<string>();
    const fileSet = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at)!;
      fns.add(fnKey(n));
      fileSet.add(fileKey(n));
    }
    const keys = { fns: [...fns], files: [...fileSet] };
    stackKeys.set(id, keys);
    return keys;
  }

  const fns = new Map<string, Row>();
  const filesRows = new Map<string, Row>();
  const add = (map: Map<string, Row>, key: string, self: number, total: number) => {
    const row = map.get(key) ?? { self: 0, total: 0 };
    row.self += self;
    row.total += total;
    map.set(key, row);
  };
  let sum = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000; // the delta after a sample is its duration
    const node = byId.get(id)!;
    sum += dt;
    if (node.callFrame.functionName === "(idle)") idle += dt;
    add(fns, fnKey(node), dt, 0);
    add(filesRows, fileKey(node), dt, 0);
    const keys = keysOf(id);
    for (const k of keys.fns) add(fns, k, 0, dt);
    for (const k of keys.files) add(filesRows, k, 0, dt);
  }

  const ms = (v: number) => v.toFixed(1).padStart(9);
  const print = (title: string, map: Map<string, Row>, by: "self" | "total", filter: string | null | undefined = match) => {
    const rows = [...map.entries()]
      .filter(([k]) => !filter || k.includes(filter))
      .sort((a, b) => b[1][by] - a[1][by])
      .slice(0, top);
    console.log(`\n  ${title} (by ${by} ms)\n  ${"self".padStart(9)} ${"total".padStart(9)}`);
    for (const [k, r] of rows) console.log(`  ${ms(r.self)} ${ms(r.total)}  ${k}`);
  };
  console.log(`\n== ${file}\n  sampled ${sum.toFixed(0)} ms, of which idle ${idle.toFixed(0)} ms, busy ${(sum - idle).toFixed(0)} ms`);
  if (callersOf) {
    const chains = new Map<string, Row>();
    for (let i = 0; i < profile.samples.length; i++) {
      const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
      // The outermost frame matching is the one the chain is taken from.
      let hit: number | undefined;
      for (let at: number | undefined = profile.samples[i]; at !== undefined; at = parent.get(at)) {
        if (fnKey(byId.get(at)!).includes(callersOf)) hit = at;
      }
      if (hit === undefined) continue;
      const chain: string[] = [];
      for (let at = parent.get(hit); at !== undefined && chain.length < 4; at = parent.get(at)) chain.push(fnKey(byId.get(at)!));
      add(chains, `${fnKey(byId.get(hit)!)} <- ${chain.join(" <- ")}`, 0, dt);
    }
    print(`callers of ${callersOf}`, chains, "total", null);
  }
  print("functions", fns, "self");
  print("functions", fns, "total");
  print("files", filesRows, "self");
  print("files", filesRows, "total");
}

for (const file of files) summarise(file);
