import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{app,server,db,extensions,test}/**/*.test.{ts,tsx}", "test/e2e/**/*.spec.ts"],
    exclude: ["node_modules", "build", ".build-*"],
    globals: true,
    environment: "node",
    globalSetup: ["test/setup/global-setup.ts"],
    setupFiles: ["test/setup/console-trap.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: integration tests start servers and browsers; more workers only thrash.
    maxWorkers: 2,
    pool: "forks",
  },
});
