// `node scripts/bench/first-use.mjs <build dir> [runs]`: the compiled server started as the bench
// starts it (production, seeded, fresh SQLite file), idle 8 s: VmRSS and the young generation
// (/metrics); then the first page, the first briefing page and the first socket join, timed, and
// VmRSS after them (docs/decisions/0118). Pass the build of another commit to compare.
import { spawn } from "node:child_process";
import fs from "node:fs"; import os from "node:os"; import path from "node:path";
import WebSocket from "ws"; import * as Y from "yjs"; import { WebsocketProvider } from "y-websocket";
const buildDir = path.resolve(process.argv[2]); const runs = Number(process.argv[3] ?? 3);
const rss = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;
const cpu = (pid) => { const s = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" "); return (Number(s[11]) + Number(s[12])) / 100; };
const out = [];
for (let i = 0; i < runs; i++) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fu-"));
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(buildDir, "server/index.js")], { env: { ...process.env, NODE_ENV: "production", PORT: "0", DATABASE_PATH: path.join(dir, "db.sqlite"), SESSION_SECRET: "start-cost-secret-start-cost", SEED_DEMO: "true", LOG_LEVEL: "info", METRICS_TOKEN: "t" }, stdio: ["ignore", "pipe", "ignore"] });
  const url = await new Promise((res) => { let b = ""; child.stdout.on("data", (c) => { b += c; const m = /"url":"([^"]+)"/.exec(b); if (b.includes('"listening"') && m) res(m[1]); }); });
  const listenMs = performance.now() - t0; const listenCpu = cpu(child.pid);
  await new Promise((r) => setTimeout(r, 8000));
  const idle = rss(child.pid);
  const newSpace = Number(/summit_nodejs_heap_space_size_total_bytes\{space="new"\} (\d+)/.exec(await (await fetch(url + "/metrics", { headers: { authorization: "Bearer t" } })).text())[1]) / 1048576;
  let s = performance.now(); await (await fetch(url + "/login")).text(); const page = performance.now() - s;
  const lr = await fetch(url + "/login", { method: "POST", body: new URLSearchParams({ email: "emre@demo.summitdesk.test", password: "summit-demo-2026", redirectTo: "/teams" }), redirect: "manual" });
  const cookie = lr.headers.get("set-cookie").split(";")[0];
  s = performance.now(); await (await fetch(url + "/briefings/ankara-summit", { headers: { cookie } })).text(); const briefingPage = performance.now() - s;
  const doc = new Y.Doc();
  class WS extends WebSocket { constructor(u, p) { super(u, p, { headers: { cookie, origin: url } }); } }
  s = performance.now();
  const provider = new WebsocketProvider(url.replace(/^http/, "ws") + "/collab", "ankara-summit", doc, { WebSocketPolyfill: WS, disableBc: true });
  await new Promise((r) => provider.on("sync", (ok) => ok && r()));
  const join = performance.now() - s;
  provider.destroy();
  await new Promise((r) => setTimeout(r, 500));
  out.push({ listenMs, listenCpu, idle, newSpace, page, briefingPage, join, after: rss(child.pid) });
  child.kill("SIGTERM"); await new Promise((r) => child.once("exit", r)); fs.rmSync(dir, { recursive: true, force: true });
}
const med = (k, d = 1) => { const xs = out.map((o) => o[k]).sort((a, b) => a - b); return `${xs[Math.floor(xs.length / 2)].toFixed(d)} (${xs[0].toFixed(d)}–${xs.at(-1).toFixed(d)})`; };
console.log(`runs ${runs}, load ${os.loadavg()[0].toFixed(1)}: to listening ${med("listenMs", 0)} ms, CPU ${med("listenCpu", 2)} s; idle RSS ${med("idle")} MB, young generation ${med("newSpace")} MB; first /login ${med("page", 0)} ms, first briefing page ${med("briefingPage", 0)} ms, first join ${med("join", 0)} ms; RSS after ${med("after")} MB`);
process.exit(0);
