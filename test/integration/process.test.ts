import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { serverEntry, tempDir } from "../helpers/server";
import { eventually } from "../helpers/yclient";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("the server process", () => {
  it("exits cleanly when the process that started it dies and its log pipe closes, instead of spinning", async () => {
    const parent = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("../fixtures/parent-of-server.ts", import.meta.url))], {
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
      stdio: ["ignore", "pipe", "inherit"],
    });
    const { serverPid, url } = await new Promise<{ serverPid: number; url: string }>((resolve, reject) => {
      let out = "";
      parent.stdout!.on("data", (c: Buffer) => {
        out += c.toString();
        const line = out.split("\n").find((l) => l.startsWith("{"));
        if (line) resolve(JSON.parse(line));
      });
      parent.once("exit", (code) => reject(new Error(`parent exited early with ${code}`)));
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    parent.kill("SIGKILL");
    await eventually(() => expect(alive(serverPid)).toBe(false), 15_000, 200);
  });

  it("a SIGTERM that arrives while the server is still starting ends in a clean exit 0", async () => {
    const child = spawn(process.execPath, [serverEntry()], {
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
      env: {
        ...process.env,
        NODE_ENV: "test",
        HOST: "127.0.0.1",
        PORT: "0",
        DATABASE_PATH: path.join(tempDir(), "early.db"),
        SESSION_SECRET: "test-secret-test-secret-test-secret",
        EXIT_WITH_PARENT: "true",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const lines: string[] = [];
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const parts = out.split("\n");
      out = parts.pop()!;
      for (const line of parts) {
        // The seed is logged before the server listens: signal in the middle of the start.
        if (lines.length === 0) child.kill("SIGTERM");
        lines.push(line);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
    expect(code).toBe(0);
    const messages = lines.map((l) => (JSON.parse(l) as { message: string }).message);
    expect(messages[0]).toBe("seeded demo team and briefing");
    expect(messages).toContain("signal received");
    expect(messages.at(-1)).not.toBe("start failed");
  });
});
