import path from "node:path";
import { NodeCompiler } from "@myriaddreamin/typst-ts-node-compiler";
import { findMissingGlyphs, loadPdfFonts, type PdfFonts } from "./fonts";
import { modelTexts } from "./model";
import type { ExportModel } from "./model-types";
import { PdfExportError } from "./errors";

import { DATA_FILE, TEMPLATE_FILE } from "./sandbox";

export { DATA_FILE, TEMPLATE_FILE, prepareSandbox, templateSource } from "./sandbox";

/**
 * A Typst compiler bound to one sandbox root, with only the Noto Sans faces loaded. System fonts stay
 * out because the worker runs with FONTCONFIG_FILE pointing at an empty configuration (the compiler
 * has no switch for it, see typst.ts#893), and the template sets `fallback: false`.
 */
export class BriefingRenderer {
  private readonly compiler: NodeCompiler;
  private readonly fonts: PdfFonts;

  constructor(private readonly root: string) {
    this.fonts = loadPdfFonts();
    this.compiler = NodeCompiler.create({ workspace: root, fontArgs: [{ fontBlobs: this.fonts.blobs }] });
  }

  /** `phase` hears each step's CPU time in ms (glyph check, data, compile, pdf, cache), for profiling. */
  render(model: ExportModel, phase?: PhaseTimer): { pdf: Buffer; pages: number } {
    const step = phaseStep(phase);
    const missing = step("glyph check", () => findMissingGlyphs(modelTexts(model), this.fonts.coverage));
    if (missing.length) {
      const list = missing
        .slice(0, 8)
        .map((m) => `“${m.char}” (${m.codePoint}) in ${m.where}`)
        .join("; ");
      throw new PdfExportError(
        "missing_glyph",
        `The PDF fonts cannot draw ${missing.length} character${missing.length === 1 ? "" : "s"} in this brief: ${list}. Replace ${missing.length === 1 ? "it" : "them"} and export again.`,
      );
    }
    const main = path.join(this.root, TEMPLATE_FILE);
    step("template data", () => this.compiler.mapShadow(path.join(this.root, DATA_FILE), Buffer.from(JSON.stringify(model))));
    try {
      const result = step("typst layout", () => this.compiler.compile({ mainFilePath: main }));
      const error = result.takeError();
      if (error || !result.result) {
        const diags = error ? this.compiler.fetchDiagnostics(error) : [];
        throw new PdfExportError("compile_failed", `The PDF template failed: ${describe(diags)}`);
      }
      const warnings = result.takeWarnings();
      if (warnings) {
        const diags = this.compiler.fetchDiagnostics(warnings);
        // A font problem means wrong or missing glyphs in the output: fail rather than print tofu.
        if (diags.some((d) => /font|glyph/i.test(String((d as { message?: unknown }).message)))) {
          throw new PdfExportError("font_problem", `The PDF fonts are not usable: ${describe(diags)}`);
        }
      }
      const compiled = result.result;
      const pdf = step("pdf writing", () => this.compiler.pdf(compiled));
      return { pdf, pages: result.result.numOfPages };
    } finally {
      step("cache eviction", () => {
        this.compiler.unmapShadow(path.join(this.root, DATA_FILE));
        // Drop memoized layout of documents not seen in the last few renders; the process is recycled anyway.
        this.compiler.evictCache(10);
      });
    }
  }
}

export type PhaseTimer = (name: string, cpuMs: number) => void;

function phaseStep(phase: PhaseTimer | undefined): <T>(name: string, fn: () => T) => T {
  if (!phase) return (_name, fn) => fn();
  return (name, fn) => {
    const since = process.cpuUsage();
    try {
      return fn();
    } finally {
      const u = process.cpuUsage(since);
      phase(name, (u.user + u.system) / 1000);
    }
  };
}

function describe(diags: unknown[]): string {
  return (
    diags
      .slice(0, 3)
      .map((d) => String((d as { message?: unknown }).message ?? d))
      .join("; ") || "unknown error"
  );
}
