// `node scripts/bench/start-cost.mjs [runs]`: CPU time and RSS of the compiled server from spawn to
// "listening" (and after 5 s idle), and of one PDF render process from spawn to ready. Needs a build
// (`npm run build`). CPU time is the stable figure on a busy machine; wall time is printed too.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const runs = Number(process.argv[2] ?? 5);
const buildDir = path.resolve(process.env.SD_BUILD_DIR || "build");
const entry = process.env.START_COST_CMD ? process.env.START_COST_CMD.split(" ") : [path.join(buildDir, "server", "index.js")];
const ticks = 100; // USER_HZ on Linux

function usage(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  const cpu = (Number(stat[11]) + Number(stat[12])) / ticks;
  const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;
  return { cpu, rss };
}

async function once() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "start-cost-"));
  const started = performance.now();
  const child = spawn(process.execPath, entry, {
    env: { ...process.env, NODE_ENV: "production", PORT: "0", DATABASE_PATH: path.join(dir, "db.sqlite"), SESSION_SECRET: "start-cost-secret-start-cost", SEED_DEMO: "true", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise((resolve) => {
    let buf = "";
    child.stdout.on("data", (c) => {
      buf += c;
      if (buf.includes('"listening"')) resolve();
    });
  });
  const wall = performance.now() - started;
  const atListen = usage(child.pid);
  await new Promise((r) => setTimeout(r, 5000));
  const idle = usage(child.pid);
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  fs.rmSync(dir, { recursive: true, force: true });
  return { wall, cpu: atListen.cpu, rss: atListen.rss, idleRss: idle.rss };
}

async function worker() {
  const script = process.env.START_COST_WORKER ?? path.join(buildDir, "server", "pdf-worker.js");
  const args = process.env.START_COST_WORKER_ARGS ? process.env.START_COST_WORKER_ARGS.split(" ") : [];
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "typst-"));
  fs.copyFileSync(path.resolve("server/export/template/briefing.typ"), path.join(root, "briefing.typ"));
  const child = spawn(process.execPath, [...args, script], { stdio: ["ignore", "ignore", "inherit", "ipc"], serialization: "advanced", env: { ...process.env, SD_TYPST_ROOT: root, SD_PDF_OUT: fs.mkdtempSync(path.join(os.tmpdir(), "pdf-out-")) } });
  await new Promise((resolve) => child.on("message", (m) => m?.type === "ready" && resolve()));
  const u = usage(child.pid);
  child.kill();
  return u;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const server = [];
const workers = [];
for (let i = 0; i < runs; i++) {
  server.push(await once());
  workers.push(await worker());
}
const fmt = (xs, k, d = 2) => `${median(xs.map((x) => x[k])).toFixed(d)} (${Math.min(...xs.map((x) => x[k])).toFixed(d)}–${Math.max(...xs.map((x) => x[k])).toFixed(d)})`;
console.log(`runs: ${runs}, load average at end: ${os.loadavg()[0].toFixed(2)}`);
console.log(`server to listening: CPU ${fmt(server, "cpu")} s, wall ${fmt(server, "wall", 0)} ms, RSS ${fmt(server, "rss", 0)} MB; RSS after 5 s idle ${fmt(server, "idleRss", 0)} MB`);
console.log(`render process to ready: CPU ${fmt(workers, "cpu")} s, RSS ${fmt(workers, "rss", 0)} MB`);
