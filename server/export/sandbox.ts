import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Apart from render.ts so that the server process, which only prepares the sandbox for its render
// processes, does not load the Typst compiler (a native module of about 8 MB resident).

export const TEMPLATE_FILE = "briefing.typ";
export const DATA_FILE = "brief.json";

export function templateSource(): string {
  return fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "template", TEMPLATE_FILE), "utf8");
}

/**
 * Prepares a compiler root that holds nothing but the template: the compiler can read no file of the
 * application (Typst refuses paths outside the root), and the data arrives as a virtual file.
 */
export function prepareSandbox(root: string): void {
  fs.mkdirSync(root, { recursive: true });
  for (const entry of fs.readdirSync(root)) fs.rmSync(path.join(root, entry), { recursive: true, force: true });
  fs.writeFileSync(path.join(root, TEMPLATE_FILE), templateSource());
}
