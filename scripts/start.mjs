// `npm start`: builds the compiled server when there is no build or the sources are newer than
// it, then runs it in this process (so signals reach it directly).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const buildDir = path.resolve(process.env.SD_BUILD_DIR || "build");
const entry = path.join(buildDir, "server", "index.js");

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

const built = fs.existsSync(entry) ? fs.statSync(entry).mtimeMs : 0;
const sources = Math.max(...["app", "extensions", "db", "server"].filter((d) => fs.existsSync(d)).map(newestMtime));
if (built < sources) {
  console.log(built ? "Sources changed since the last build; rebuilding…" : "No build yet; building…");
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
}

await import(pathToFileURL(entry).href);
