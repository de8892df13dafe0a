/**
 * Remix v2, classic compiler. The output directory can be moved with SD_BUILD_DIR so that
 * several builds (a test run, a benchmark, a developer's server) never overwrite each other.
 * @type {import('@remix-run/dev').AppConfig}
 */
const buildDir = process.env.SD_BUILD_DIR || "build";

export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  // The server entry is compiled with the app into one bundle: one copy of every module. The
  // process starts at build/server/index.js (server/boot.ts, scripts/build.mjs), which imports it.
  server: "server/index.ts",
  serverModuleFormat: "esm",
  serverPlatform: "node",
  serverBuildPath: `${buildDir}/server/main.js`,
  assetsBuildDirectory: `${buildDir}/client`,
  publicPath: "/build/",
  serverDependenciesToBundle: [],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
  },
};
