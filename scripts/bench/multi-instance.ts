// Fan-out to 64 clients over two server instances (REDIS_URL, one shared SQLite file) against all
// 64 on one instance: p99 delivery and server CPU per delivered update (docs/decisions/0109).
// Run: node --import tsx scripts/bench/multi-instance.ts   (needs redis-server on PATH)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startRedis } from "../../test/helpers/redis";
import { BRIEFINGS, prepareDatabase, type Fixtures } from "./fixtures";
import { buildApp, cpuMark, cpuSecondsSince, killChildren, startClients } from "./processes";
import { LatencyProbe, RECEIVERS_PER_PROCESS, type LatencyResult } from "./scenarios";
import { startOurs, type Side } from "./sides";

const CLIENTS = 64;
const OPTS = { edits: 300, warmup: 30, intervalMs: 25 };

/**
 * One side made of several instances: the writer opens on the first, and each receiver process
 * (eight clients) on the next instance in turn, as a balancer spreading connections would.
 */
function spread(instances: Side[]): Side {
  let calls = 0;
  return {
    ...instances[0],
    target(room, role) {
      const i = calls++;
      return instances[i === 0 ? 0 : i % instances.length].target(room, role);
    },
  };
}

async function measure(label: string, instances: Side[], writer: Parameters<typeof LatencyProbe.warmed>[2], receivers: Parameters<typeof LatencyProbe.warmed>[3], fixtures: Fixtures) {
  const side = spread(instances);
  const probe = await LatencyProbe.warmed(side, BRIEFINGS.fanout, writer, receivers, CLIENTS, fixtures, OPTS);
  const marks = instances.map((s) => cpuMark(s.server.pid));
  const result: LatencyResult = await probe.run(OPTS.edits, OPTS.intervalMs);
  const seconds = marks.reduce((n, m) => n + cpuSecondsSince(m), 0);
  await probe.close();
  const cpuPerUpdateUs = result.delivered > 0 ? (seconds / result.delivered) * 1e6 : Number.NaN;
  console.log(`${label}: p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, max ${result.max.toFixed(2)} ms, delivered ${result.delivered}/${result.expected}, server CPU ${cpuPerUpdateUs.toFixed(1)} µs per delivered update`);
  return { ...result, cpuPerUpdateUs };
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "summit-bench-multi-"));
  process.on("exit", () => {
    killChildren();
    fs.rmSync(work, { recursive: true, force: true });
  });
  const load = () => os.loadavg().map((n) => n.toFixed(2)).join(", ");
  console.log(`load average before: ${load()}`);
  buildApp();
  const databasePath = path.join(work, "bench.db");
  const fixtures = await prepareDatabase(databasePath, 0);
  const redis = await startRedis();
  const [writer, ...receivers] = await startClients("client", 1 + Math.ceil(CLIENTS / RECEIVERS_PER_PROCESS));

  const single = await startOurs(databasePath, path.join(work, "single.log"));
  const one = await measure("64 clients on one instance", [single], writer, receivers, fixtures);
  await single.stop();

  const env = { REDIS_URL: redis.url };
  const a = await startOurs(databasePath, path.join(work, "a.log"), env);
  const b = await startOurs(databasePath, path.join(work, "b.log"), env);
  const two = await measure("64 clients over two instances", [a, b], writer, receivers, fixtures);
  await Promise.all([a.stop(), b.stop()]);
  await redis.stop();

  console.log(`ratio two/one: p99 ${(two.p99 / one.p99).toFixed(2)}×, CPU per delivered update ${(two.cpuPerUpdateUs / one.cpuPerUpdateUs).toFixed(2)}×`);
  console.log(`load average after: ${load()}; node ${process.version}; ${os.availableParallelism()} cores`);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
