import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { serverEntry } from "../helpers/server";

// The server and the Remix app are one bundle, so a process holds one copy of each of our modules.
// With two graphs (a Remix bundle beside a separately loaded server), each graph defined its own
// PdfExportError, `instanceof` failed across them and an export's 422 became a generic 500.
// The process starts at a small entry (server/boot.ts, docs/decisions/0118) that imports the bundle.
const entry = fs.readFileSync(serverEntry(), "utf8");
const bundle = fs.readFileSync(path.join(path.dirname(serverEntry()), "main.js"), "utf8");

/** The source files esbuild put in the bundle: it marks each with a `// path` comment line. */
const modules = [...bundle.matchAll(/^\/\/ ((?:app|server|db|extensions)\/[^\s]+\.tsx?)$/gm)].map((m) => m[1]);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !/\.(test|spec)\.tsx?$/.test(e.name) ? [p] : [];
  });
}

describe("the compiled server", () => {
  it("holds the server entry and the app in one bundle", () => {
    expect(modules).toContain("server/index.ts");
    expect(modules).toContain("server/start.ts");
    expect(modules).toContain("app/root.tsx");
    expect(modules).toContain("server/export/errors.ts");
  });

  it("defines each of our classes once (a second copy would be renamed with a number)", () => {
    const declared = ["app", "server", "db", "extensions"]
      .flatMap(sourceFiles)
      .flatMap((f) => [...fs.readFileSync(f, "utf8").matchAll(/^export (?:abstract )?class (\w+)/gm)].map((m) => m[1]));
    expect(declared).toContain("PdfExportError");
    for (const name of declared) {
      const copies = bundle.match(new RegExp(`\\b${name}\\d* = class\\b|\\bclass ${name}\\d*\\b`, "g")) ?? [];
      expect(copies.length, name).toBeLessThanOrEqual(1);
    }
  });

  it("starts at an entry that holds none of our modules and imports the one bundle", () => {
    expect(entry).toContain("// server/boot.ts");
    expect([...entry.matchAll(/^\/\/ ((?:app|server|db|extensions)\/[^\s]+\.tsx?)$/gm)].map((m) => m[1])).toEqual(["server/boot.ts"]);
    expect(entry).toMatch(/import\(new URL\("\.\/main\.js", import\.meta\.url\)/);
  });

  it("runs without a TypeScript loader", () => {
    expect(bundle).not.toMatch(/from ["']tsx/);
    expect(entry).not.toMatch(/from ["']tsx/);
    expect(fs.existsSync(path.join(path.dirname(serverEntry()), "pdf-worker.js"))).toBe(true);
  });
});
