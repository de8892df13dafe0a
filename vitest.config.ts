import { defineConfig } from "vitest/config";

/**
 * `npm test` runs in two phases (scripts/test.mjs). Files named `*.serial.test.ts` compare the
 * server's timing or CPU with the same machine's figures moments before (event-loop delay, edit
 * delivery while exports or comparisons run): they run after the rest, one at a time, so the
 * suite's own browsers and servers do not share the cores with them. Without TEST_PHASE (a
 * developer running one file) every file is included.
 */
const SERIAL = "**/*.serial.test.ts";
const phase = process.env.TEST_PHASE;

export default defineConfig({
  test: {
    include: phase === "serial" ? [`{app,server,db,extensions,test}/${SERIAL}`] : ["{app,server,db,extensions,test}/**/*.test.{ts,tsx}", "test/e2e/**/*.spec.ts"],
    exclude: ["node_modules", "build", ".build-*", ...(phase === "parallel" ? [SERIAL] : [])],
    globals: true,
    environment: "node",
    globalSetup: ["test/setup/global-setup.ts"],
    setupFiles: ["test/setup/console-trap.ts", "test/setup/pg-driver.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: integration tests start servers and browsers; more workers only thrash.
    maxWorkers: phase === "serial" ? 1 : 2,
    fileParallelism: phase !== "serial",
    pool: "forks",
  },
});
