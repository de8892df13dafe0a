import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prosemirrorJSONToYDoc } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { COLLAB_FIELD, getBriefingSchema } from "../../extensions";
import { HOSTILE, KAZAKH, TURKISH, quote, sampleBrief, sampleInfo } from "../../test/export/fixtures";
import { firstOutOfOrder, flat, pdfFonts, pdfLangs, pdfPages, pdfText } from "../../test/export/pdf-tools";
import { PdfExportError } from "./errors";
import { buildExportModel } from "./model";
import { findChrt } from "./pool";
import { createPdfService, type PdfService } from "./service";

const FINAL = {
  number: 3,
  contentHash: "9b1f0c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b",
  createdAt: new Date("2026-03-01T09:00:00Z"),
  createdBy: "Aigerim Nurpeisova",
};

const SCHED_OTHER = 0;
const SCHED_IDLE = 5;

/** This process's render processes, read from /proc: their pid, scheduling policy and nice value. */
function renderers(): { pid: number; policy: number; nice: number }[] {
  const out: { pid: number; policy: number; nice: number }[] = [];
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      // Fields after "pid (comm) ": state is index 0, so field n of proc(5) is index n - 3.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) !== process.pid || !fs.readFileSync(`/proc/${d}/cmdline`, "utf8").includes("worker.ts")) continue;
      out.push({ pid: Number(d), policy: Number(fields[38]), nice: Number(fields[16]) });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

let pdf: PdfService;
let draft: Buffer;
let final: Buffer;

beforeAll(async () => {
  pdf = createPdfService({ PDF_WORKERS: 2, PDF_TIMEOUT_MS: 30_000, PDF_RENDERS_PER_WORKER: 25 });
  [draft, final] = await Promise.all([
    pdf.render({ doc: sampleBrief(), info: sampleInfo() }).then((r) => r.pdf),
    pdf.render({ doc: sampleBrief(), info: sampleInfo({ status: "final", version: FINAL }) }).then((r) => r.pdf),
  ]);
});
afterAll(async () => {
  await pdf?.close();
});

describe("PDF content", () => {
  it("is a PDF with the cover, contents and every block in document order", () => {
    expect(draft.subarray(0, 5).toString()).toBe("%PDF-");
    // Content-stream order: the order Typst laid the brief out in (layout mode reorders table columns).
    const text = flat(pdfText(draft, { raw: true }));
    const missing = firstOutOfOrder(text, [
      // cover
      "Kazakhstan–Türkiye presidential summit, Ankara",
      "Kazakhstan–Türkiye Presidential Summit",
      "Ankara · 14–15 December 2026",
      "RESTRICTED",
      "Draft",
      "Kazakhstan–Türkiye desk",
      "5 March 2026, 14:32 UTC",
      // contents with page numbers
      "Contents",
      "Background",
      "1. Trade and the Middle Corridor",
      "2. Energy cooperation",
      "3. Hostile content",
      // body
      "Purpose: prepare the delegation",
      "Background",
      TURKISH,
      "Trade turnover target of USD 15 billion",
      "Country facts — Kazakhstan",
      "Population",
      "20.3 million",
      "1 January 2025",
      "https://stat.gov.kz",
      "GDP growth",
      "Bureau of National Statistics",
      "Agenda",
      "1. Trade and the Middle Corridor",
      "Priority high",
      "Owner: Emre Yıldız",
      "Talking point: doubling rail capacity",
      "Орта дәліз — біздің ортақ болашағымыз.",
      "Translation: The Middle Corridor is our common future.",
      "Kassym-Jomart Tokayev",
      "President of Kazakhstan",
      "3 November 2025",
      "Source: https://akorda.kz/en/speech",
      "2. Energy cooperation",
      "Contested",
      "Türkiye ile Kazakistan arasındaki ilişkiler stratejik ortaklık",
      "Hakan Fidan",
      "Minister of Foreign Affairs of Türkiye",
      "Anadolu Agency interview",
      "Country facts — Türkiye",
      "Bilateral trade",
      "TurkStat",
      "3. Hostile content",
      "Kazakh text",
      KAZAKH,
    ].map((s) => (s === "Priority high" || s === "Contested" ? s.toUpperCase() : s)));
    expect(missing).toBeNull();
  });

  it("lists contents with page numbers and marks stale facts", () => {
    const contents = flat(pdfText(draft, { page: 2 }));
    expect(contents).toMatch(/Contents .*Background[ .⁠]*3/);
    const facts = flat(pdfText(draft));
    expect(facts).toMatch(/30 June 2019 STALE/);
    expect(facts).toContain("older than the desk’s freshness limit");
  });

  it("keeps Turkish and Kazakh letters exactly", () => {
    const text = pdfText(draft);
    for (const ch of "şğİıÇ") expect(text).toContain(ch);
    for (const ch of "ӘҒҚҢӨҰҮҺІ") expect(text).toContain(ch);
  });

  it("prints the classification in header and footer and Page X of Y on every page", () => {
    const pages = pdfPages(draft);
    expect(pages).toBeGreaterThanOrEqual(3);
    for (let p = 1; p <= pages; p++) {
      const text = pdfText(draft, { page: p });
      expect(text.match(/RESTRICTED/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
      expect(text).toContain(`Page ${p} of ${pages}`);
    }
  });

  it("watermarks DRAFT on every page of a non-final export and never on a final one", () => {
    for (let p = 1; p <= pdfPages(draft); p++) expect(pdfText(draft, { page: p, raw: true }).replace(/\s+/g, "")).toContain("DRAFT");
    expect(pdfText(final, { raw: true }).replace(/\s+/g, "")).not.toContain("DRAFT");
    expect(pdfText(draft)).toContain("Draft · not for distribution");
  });

  it("stamps a final export with the version and the short content hash on every page", () => {
    const pages = pdfPages(final);
    for (let p = 1; p <= pages; p++) expect(pdfText(final, { page: p })).toContain("Final version 3 · sha256 9b1f0c2d3e4f");
    expect(flat(pdfText(final, { page: 1 }))).toContain(FINAL.contentHash);
  });

  it("prints hostile text literally and executes none of it", () => {
    const text = flat(pdfText(draft));
    for (const s of HOSTILE) expect(text).toContain(s);
    expect(text).not.toContain("root:x:0:0");
  });

  it("prints hostile briefing fields on the cover literally", async () => {
    const { pdf: out } = await pdf.render({ doc: { type: "doc", content: [] }, info: sampleInfo({ title: '#panic("x") ] $', city: '#read("/etc/passwd")' }) });
    const text = flat(pdfText(out));
    expect(text).toContain('#panic("x") ] $');
    expect(text).toContain('#read("/etc/passwd")');
  });

  it("strips bidi overrides and isolates from a quote's speaker and role, as the editor does", async () => {
    const doc = {
      type: "doc",
      content: [quote("Words that were said.", { speaker: "\u202EMevlüt Çavuşoğlu\u202C", speakerRole: "\u2066Former minister\u2069", lang: "tr" })],
    };
    const model = buildExportModel(doc, sampleInfo());
    expect(model.blocks[0]).toMatchObject({ kind: "quote", speaker: "Mevlüt Çavuşoğlu", speakerRole: "Former minister" });
    const { pdf: out } = await pdf.render({ doc, info: sampleInfo() });
    const text = flat(pdfText(out));
    expect(text).toContain("Mevlüt Çavuşoğlu");
    expect(text).toContain("Former minister");
    expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  });

  it("embeds Noto Sans and no other font", () => {
    const fonts = pdfFonts(draft);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) {
      expect(f.name).toMatch(/\+NotoSans-(Regular|Bold|Italic|BoldItalic)$/);
      expect(f.embedded).toBe(true);
    }
  });

  it("tags quotes with their language for screen readers (kk, tr)", () => {
    const langs = pdfLangs(draft);
    expect(langs).toEqual(expect.arrayContaining(["kk", "tr"]));
  });
});

describe("PDF service", () => {
  it("refuses characters the fonts cannot draw, naming them and where they are", async () => {
    const doc = { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Agreed 🤝 today" }] }] };
    const err = await pdf.render({ doc, info: sampleInfo() }).catch((e) => e);
    expect(err).toBeInstanceOf(PdfExportError);
    expect(err.code).toBe("missing_glyph");
    expect(err.message).toContain("U+1F91D");
    expect(err.message).toContain("body text");
  });

  it("renders from a Yjs update read through the shared schema", async () => {
    const ydoc = prosemirrorJSONToYDoc(getBriefingSchema(), { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "From the Y.Doc: Ğ Қ" }] }] }, COLLAB_FIELD);
    const { pdf: out } = await pdf.render({ update: Y.encodeStateAsUpdate(ydoc), info: sampleInfo() });
    expect(pdfText(out)).toContain("From the Y.Doc: Ğ Қ");
  });

  it("runs renders in child processes under SCHED_IDLE with chrt on PATH, else at nice 19", async () => {
    await pdf.render({ doc: sampleBrief(), info: sampleInfo() });
    const mine = renderers();
    expect(mine.length).toBeGreaterThan(0);
    // This machine may or may not have chrt: the policy must match what the pool could find.
    if (findChrt()) for (const r of mine) expect(r.policy).toBe(SCHED_IDLE);
    else for (const r of mine) expect(r).toMatchObject({ policy: SCHED_OTHER, nice: 19 });
  });

  it("falls back to nice 19 when PATH has no chrt", async () => {
    const before = new Set(renderers().map((r) => r.pid));
    const savedPath = process.env.PATH;
    process.env.PATH = fs.mkdtempSync(path.join(os.tmpdir(), "no-chrt-"));
    const plain = createPdfService({ PDF_WORKERS: 1, PDF_TIMEOUT_MS: 30_000, PDF_RENDERS_PER_WORKER: 25 });
    try {
      expect(findChrt()).toBeNull();
      await plain.render({ doc: sampleBrief(), info: sampleInfo() });
      const added = renderers().filter((r) => !before.has(r.pid));
      expect(added).toHaveLength(1);
      expect(added[0]).toMatchObject({ policy: SCHED_OTHER, nice: 19 });
    } finally {
      process.env.PATH = savedPath;
      await plain.close();
    }
  }, 60_000);

  it("recycles a process after its render budget and kills one that times out", async () => {
    const small = createPdfService({ PDF_WORKERS: 1, PDF_TIMEOUT_MS: 30_000, PDF_RENDERS_PER_WORKER: 2 });
    try {
      for (let i = 0; i < 3; i++) await small.render({ doc: sampleBrief(), info: sampleInfo() });
      expect(small.stats()).toMatchObject({ rendered: 3, recycled: 1 });
      expect(small.stats().spawned).toBeGreaterThanOrEqual(2);
    } finally {
      await small.close();
    }
    const slow = createPdfService({ PDF_WORKERS: 1, PDF_TIMEOUT_MS: 1, PDF_RENDERS_PER_WORKER: 25 });
    try {
      const err = await slow.render({ doc: sampleBrief(), info: sampleInfo() }).catch((e) => e);
      expect(err).toBeInstanceOf(PdfExportError);
      expect(err.code).toBe("timeout");
      expect(slow.stats().timeouts).toBe(1);
    } finally {
      await slow.close();
    }
  }, 60_000);
});
