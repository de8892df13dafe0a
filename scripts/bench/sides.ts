// The two servers under test, behind one shape: how a client reaches a briefing on each.
import { loginAs, type DemoRole } from "../../test/helpers/http";
import { metricValue } from "../../test/helpers/yclient";
import { METRICS_TOKEN, cpuMark, startOurServer, startReferenceServer, type CpuMark, type ServerProcess } from "./processes";

export interface Target {
  wsUrl: string;
  room: string;
  cookie?: string;
  origin?: string;
}

export interface MemoryReading {
  rooms: number;
  heapUsed: number;
  rss: number;
}

export interface Side {
  kind: "ours" | "reference";
  server: ServerProcess;
  /** Where a client signed in as `role` opens `room` (the reference ignores roles). */
  target(room: string, role?: DemoRole): Target;
  /** The reference starts every document empty: the first client gives it `state` (base64). */
  seed(state: Uint8Array): string | undefined;
  /** Rooms held in memory, heap used and RSS, as the server itself reports them. */
  memory(): Promise<MemoryReading>;
  stop(): Promise<number | null>;
}

const ROLES: DemoRole[] = ["owner", "editor", "commenter", "viewer"];

export async function startOurs(databasePath: string, logFile: string, env?: Record<string, string>): Promise<Side> {
  const server = await startOurServer(databasePath, logFile, env);
  const cookies = new Map<DemoRole, string>();
  for (const role of ROLES) cookies.set(role, await loginAs(server.url, role));
  const wsUrl = server.url.replace(/^http/, "ws") + "/collab";
  return {
    kind: "ours",
    server,
    target: (room, role = "owner") => ({ wsUrl, room, cookie: cookies.get(role), origin: server.url }),
    seed: () => undefined,
    async memory() {
      const [rooms, heapUsed, rss] = await Promise.all([
        metricValue(server.url, METRICS_TOKEN, "summit_collab_rooms"),
        metricValue(server.url, METRICS_TOKEN, "summit_nodejs_heap_size_used_bytes"),
        metricValue(server.url, METRICS_TOKEN, "summit_process_resident_memory_bytes"),
      ]);
      return { rooms, heapUsed, rss };
    },
    stop: () => server.stop(),
  };
}

export async function startReference(logFile: string): Promise<Side> {
  const server = await startReferenceServer(logFile);
  const wsUrl = server.url.replace(/^http/, "ws");
  return {
    kind: "reference",
    server,
    target: (room) => ({ wsUrl, room }),
    seed: (state) => Buffer.from(state).toString("base64"),
    async memory() {
      const res = await fetch(`${server.url}/__bench/stats`);
      const stats = (await res.json()) as { docs: number; heapUsed: number; rss: number };
      return { rooms: stats.docs, heapUsed: stats.heapUsed, rss: stats.rss };
    },
    stop: () => server.stop(),
  };
}

/** The server's CPU now, for `cpuSecondsSince` (processes.ts: to the nanosecond where it can be). */
export function cpuMarkOf(side: Side): CpuMark {
  return cpuMark(side.server.pid);
}

export const RECEIVER_ROLES: DemoRole[] = ["editor", "commenter", "viewer", "owner"];
