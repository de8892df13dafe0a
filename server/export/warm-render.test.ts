import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { longBriefState } from "../../scripts/bench/fixtures";
import { sampleInfo } from "../../test/export/fixtures";
import { updateToJSON } from "./document-json";
import type { PMNode } from "./model";
import { createPdfService, type PdfService } from "./service";

/**
 * A render process keeps the compiler's memoized layout between renders, so a warm export of a
 * brief that changed a little lays out little (ADR 0407). Measured in the render process's own CPU
 * time, which a busy machine does not inflate the way it does wall time.
 */

let service: PdfService;
beforeAll(() => {
  service = createPdfService({ PDF_WORKERS: 1, PDF_TIMEOUT_MS: 180_000, PDF_RENDERS_PER_WORKER: 100 });
});
afterAll(async () => {
  await service?.close();
});

/** The brief with a paragraph added after its title: everything after it moves down. */
function withParagraph(base: PMNode, text: string): PMNode {
  const content = [...(base.content ?? [])];
  content.splice(1, 0, { type: "paragraph", content: [{ type: "text", text }] });
  return { ...base, content };
}

/** The same brief with most of its words changed: nothing of its layout can be reused. */
function reworded(node: PMNode): PMNode {
  return {
    ...node,
    ...(node.text === undefined ? {} : { text: node.text.replace(/ion/g, "ions").replace(/ty\b/g, "ties") }),
    ...(node.content ? { content: node.content.map(reworded) } : {}),
  };
}

describe("warm PDF renders", () => {
  it("lay out a changed 50-page brief at a fraction of a full layout's CPU time, even with a new title and export time", async () => {
    const base = updateToJSON(longBriefState(50));
    // The process's first render pays one-time costs; it is not compared.
    await service.render({ doc: base, info: sampleInfo() });
    // A full layout in a warm process: a brief it has not seen.
    const brief = reworded(base);
    const full = await service.render({ doc: brief, info: sampleInfo({ exportedAt: new Date("2026-03-05T14:32:00Z") }) });
    expect(full.stats.pages).toBeGreaterThanOrEqual(45);
    // What a desk does between two exports: an edit, a renamed brief, and later in the day.
    const changed = await service.render({
      doc: withParagraph(brief, "Added after the first export: a line that moves every page after it. ".repeat(3)),
      info: sampleInfo({ title: "Ankara summit: delegation brief, revised", exportedAt: new Date("2026-03-05T16:05:41Z") }),
    });
    expect(changed.stats.pages).toBeGreaterThanOrEqual(full.stats.pages);
    console.log(`render CPU: full layout ${full.stats.cpuMs} ms, changed brief ${changed.stats.cpuMs} ms`);
    // Before, any new title or export time put new styles on every paragraph and the whole brief was
    // laid out again: the changed brief cost as much as a full layout.
    expect(changed.stats.cpuMs).toBeLessThan(full.stats.cpuMs * 0.6);
  }, 300_000);
});

describe("several render processes", () => {
  let pool: PdfService;
  beforeAll(() => {
    pool = createPdfService({ PDF_WORKERS: 2, PDF_TIMEOUT_MS: 180_000, PDF_RENDERS_PER_WORKER: 100 });
  });
  afterAll(async () => {
    await pool?.close();
  });

  it("send a brief back to the idle process that rendered it last, where its layout is", async () => {
    const a = updateToJSON(longBriefState(50));
    const b = reworded(a);
    // Two exports at once: each brief is laid out in its own process.
    const [firstA, firstB] = await Promise.all([
      pool.render({ doc: a, info: sampleInfo(), key: "brief-a" }),
      pool.render({ doc: b, info: sampleInfo(), key: "brief-b" }),
    ]);
    expect(firstA.stats.pid).not.toBe(firstB.stats.pid);
    // One after the other, both processes idle: each brief goes where it was rendered, rather than
    // both to the first idle process, which would lay one of them out from nothing.
    const againA = await pool.render({ doc: withParagraph(a, "An edit."), info: sampleInfo({ exportedAt: new Date() }), key: "brief-a" });
    const againB = await pool.render({ doc: withParagraph(b, "An edit."), info: sampleInfo({ exportedAt: new Date() }), key: "brief-b" });
    console.log(`two processes: A ${firstA.stats.cpuMs} → ${againA.stats.cpuMs} ms CPU, B ${firstB.stats.cpuMs} → ${againB.stats.cpuMs} ms CPU`);
    expect(againA.stats.pid).toBe(firstA.stats.pid);
    expect(againB.stats.pid).toBe(firstB.stats.pid);
    expect(againA.stats.cpuMs).toBeLessThan(firstA.stats.cpuMs * 0.6);
    expect(againB.stats.cpuMs).toBeLessThan(firstB.stats.cpuMs * 0.6);
  }, 300_000);
});
