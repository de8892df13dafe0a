import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { serverEntry } from "../helpers/server";

// The projection thread reads a briefing straight from Yjs (server/persistence/yjs-content.ts,
// docs/decisions/0208): the compiled thread must not load Tiptap or ProseMirror when it starts.
const worker = fs.readFileSync(path.join(path.dirname(serverEntry()), "projection-worker.js"), "utf8");
const staticImports = (code: string) => [...code.matchAll(/^import\s[^;]*?from\s*"([^"]+)";?$/gm)].map((m) => m[1]);

describe("the compiled projection thread", () => {
  it("imports yjs but no Tiptap or ProseMirror package, statically or dynamically", () => {
    expect(staticImports(worker)).toContain("yjs");
    expect(staticImports(worker).filter((p) => /^(@tiptap\/|prosemirror-)/.test(p))).toEqual([]);
    expect(worker).not.toMatch(/import\(\s*["'](@tiptap\/|prosemirror-)/);
    expect(worker).toContain("// server/persistence/yjs-content.ts");
  });
});
