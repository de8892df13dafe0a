// `npm run build`: one compiled server. The Remix compiler bundles server/index.ts together with
// the app (remix.config.js `server`) into main.js, so the process loads each of our modules once;
// the process entry index.js (server/boot.ts) sets one V8 flag and imports it; esbuild
// bundles the PDF render process and the projection thread on their own (they share no state
// with the server). Files the bundles read at run time are copied beside them, where
// `import.meta.url` finds them.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const buildDir = path.resolve(root, process.env.SD_BUILD_DIR || "build");
const serverDir = path.join(buildDir, "server");

execFileSync(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "build"], {
  cwd: root,
  env: { ...process.env, SD_BUILD_DIR: buildDir },
  stdio: ["ignore", "inherit", "inherit"],
});

// The PDF render process, and the projection thread (server/persistence/projection-worker.ts,
// started from the server bundle as `new URL("./projection-worker.js", import.meta.url)`). The
// thread shares no module state with the server: it opens its own database connection.
const workers = [
  // The process entry: one V8 flag, then `import("./main.js")`, the bundle above (docs/decisions/0118).
  ["server/boot.ts", "index.js"],
  ["server/export/worker.ts", "pdf-worker.js"],
  ["server/persistence/projection-worker.ts", "projection-worker.js"],
  ["server/export/docx-worker.ts", "docx-worker.js"],
  ["server/import/worker.ts", "import-worker.js"],
  // Split: what only some of its jobs need (a version's view: Tiptap and React) is a chunk of its
  // own, loaded by the job's `import()`, so a new thread starts without it (docs/decisions/0110).
  ["server/history/worker.ts", "history-worker.js", { split: true }],
];
await Promise.all(
  workers.map(([entry, out, { split = false } = {}]) =>
    esbuild.build({
      entryPoints: { [out.replace(/\.js$/, "")]: path.join(root, entry) },
      outdir: serverDir,
      splitting: split,
      chunkNames: `${out.replace(/\.js$/, "")}-chunks/[name]-[hash]`,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      sourcemap: true,
      logLevel: "warning",
    }),
  ),
);

const copies = [
  ["db/migrations", "migrations"],
  ["db/migrations-pg", "migrations-pg"],
  ["server/seed/seed-article.txt", "seed-article.txt"],
  ["server/export/template", "template"],
];
for (const [from, to] of copies) {
  fs.cpSync(path.join(root, from), path.join(serverDir, to), { recursive: true });
}
