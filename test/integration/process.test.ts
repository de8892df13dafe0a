import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loginAs } from "../helpers/http";
import { serverEntry, startTestServer, tempDir } from "../helpers/server";
import { connectClient, destroyAllClients, eventually, firstParagraph, readBody } from "../helpers/yclient";

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

describe("after an uncaught exception", () => {
  it("stores the open rooms, then exits non-zero so a supervisor restarts it", async () => {
    const fixture = fileURLToPath(new URL("../fixtures/throw-on-signal.mjs", import.meta.url));
    // A long group-commit tick: the edit is still only in the room's memory when the fault hits.
    const server = await startTestServer({ execArgv: ["--import", fixture], env: { COLLAB_FLUSH_MS: "5000" } });
    const cookie = await loginAs(server.url, "editor");
    const writer = await connectClient(server.url, cookie);
    firstParagraph(writer.doc).insert(0, "Typed just before the fault. ");
    const reader = await connectClient(server.url, cookie);
    await eventually(() => expect(firstParagraph(reader.doc).toString()).toContain("Typed just before the fault."), 10_000);
    destroyAllClients();

    const exited = new Promise<number | null>((resolve) => server.process.once("exit", (code) => resolve(code)));
    server.process.kill("SIGUSR2");
    expect(await exited).toBe(1);
    expect(server.logs.some((l) => l.message === "uncaught exception")).toBe(true);

    const again = await startTestServer({ databasePath: server.databasePath, env: { SEED_DEMO: "false" } });
    try {
      expect(await readBody(again.url, await loginAs(again.url, "editor"))).toContain("Typed just before the fault.");
    } finally {
      await again.stop();
    }
  }, 90_000);
});
