import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
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
});
