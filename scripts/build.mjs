// `npm run build`: one compiled server. The Remix compiler bundles server/index.ts together with
// the app (remix.config.js `server`), so the process loads each of our modules once; esbuild
// bundles the PDF render process on its own (it shares no state with the server). Files the
// bundles read at run time are copied beside them, where `import.meta.url` finds them.
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

await esbuild.build({
  entryPoints: [path.join(root, "server/export/worker.ts")],
  outfile: path.join(serverDir, "pdf-worker.js"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});

const copies = [
  ["db/migrations", "migrations"],
  ["server/seed/seed-article.txt", "seed-article.txt"],
  ["server/export/template", "template"],
];
for (const [from, to] of copies) {
  fs.cpSync(path.join(root, from), path.join(serverDir, to), { recursive: true });
}
