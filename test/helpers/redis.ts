import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import net from "node:net";
import { tempDir } from "./server";

/** Whether `redis-server` is on PATH; without it the Redis tests skip loudly, or fail with REQUIRE_REDIS=1. */
export function redisAvailable(): boolean {
  const ok = spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
  if (!ok) {
    const msg = "redis-server not found on PATH: the multi-instance tests cannot run (apt-get install redis-server).";
    if (process.env.REQUIRE_REDIS === "1") throw new Error(msg);
    process.stderr.write(`\n*** SKIPPING REDIS TESTS *** ${msg}\n\n`);
  }
  return ok;
}

export interface TestRedis {
  url: string;
  port: number;
  /** SIGKILL (nothing saved: the test Redis keeps no data on disk) and start again on the same port, empty. */
  restart(opts?: { downMs?: number }): Promise<void>;
  /** SIGKILL without starting again. */
  kill(): Promise<void>;
  /** Starts it again after kill(). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A free loopback port (taken and released; redis-server binds it right after). */
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

/** Resolves once the server answers PING on `port`. */
async function waitForPong(port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      let reply = "";
      socket.once("connect", () => socket.write("PING\r\n"));
      socket.on("data", (d) => {
        reply += d.toString();
        if (reply.includes("\r\n")) {
          socket.destroy();
          resolve(reply.startsWith("+PONG"));
        }
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A real redis-server on a free loopback port, in a temporary directory, with persistence off
 * (`--save '' --appendonly no`), so a restart starts empty, as a Redis that lost its memory does.
 */
export async function startRedis(): Promise<TestRedis> {
  const dir = tempDir("summit-redis-");
  const port = await freePort();
  let child: ChildProcess | null = null;
  let output = "";
  const start = async () => {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d: Buffer) => void (output = (output + d.toString()).slice(-4000)));
    child.stderr!.on("data", (d: Buffer) => void (output = (output + d.toString()).slice(-4000)));
    try {
      await waitForPong(port);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${output}`, { cause: err });
    }
  };
  const kill = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null || c.signalCode) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGKILL");
    await exited;
  };
  process.once("exit", () => child?.kill("SIGKILL"));
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async restart({ downMs = 0 } = {}) {
      await kill();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    kill,
    start,
    stop: kill,
  };
}
