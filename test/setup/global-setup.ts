import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

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
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
