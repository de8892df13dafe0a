import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { reservePostgresRun } from "../helpers/postgres";

/**
 * Builds the compiled server (Remix app and server in one bundle, plus the PDF render process)
 * once per test run into a directory of its own, so parallel runs (and a developer's running
 * server) never share a half-written build. Tests run it from SD_BUILD_DIR.
 */
export default function setup() {
  const dir = path.resolve(`.build-test-${process.pid}`);
  execFileSync(process.execPath, ["scripts/build.mjs"], {
    env: { ...process.env, SD_BUILD_DIR: dir, NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  process.env.SD_BUILD_DIR = dir;
  // The Postgres tests share one cluster, started by the first of them (test/helpers/postgres.ts).
  const stopPostgres = reservePostgresRun();
  return () => {
    stopPostgres();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
