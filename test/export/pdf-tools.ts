import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";

/** Poppler helpers for asserting on real PDFs (poppler-utils: pdftotext, pdffonts, pdfinfo). */
function withFile<T>(pdf: Buffer, fn: (file: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sd-pdf-test-"));
  const file = path.join(dir, "out.pdf");
  fs.writeFileSync(file, pdf);
  try {
    return fn(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Text of the whole PDF (or of one page), in reading order. `raw` keeps content-stream order. */
export function pdfText(pdf: Buffer, opts: { page?: number; raw?: boolean } = {}): string {
  return withFile(pdf, (file) => {
    const args = [...(opts.page ? ["-f", String(opts.page), "-l", String(opts.page)] : []), ...(opts.raw ? ["-raw"] : []), file, "-"];
    return execFileSync("pdftotext", args, { encoding: "utf8" });
  });
}

export function pdfPages(pdf: Buffer): number {
  return withFile(pdf, (file) => {
    const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
    return Number(/Pages:\s+(\d+)/.exec(info)?.[1] ?? 0);
  });
}

/** Rows of `pdffonts`: name, whether embedded. */
export function pdfFonts(pdf: Buffer): { name: string; embedded: boolean }[] {
  return withFile(pdf, (file) => {
    const lines = execFileSync("pdffonts", [file], { encoding: "utf8" }).split("\n").slice(2).filter(Boolean);
    return lines.map((l) => {
      const cols = l.trim().split(/\s+/);
      // name type… encoding emb sub uni object ID: `emb` is the 5th column from the end
      return { name: cols[0], embedded: cols[cols.length - 5] === "yes" };
    });
  });
}

/** Every `/Lang (xx)` in the PDF, including inside compressed object streams (tagged structure). */
export function pdfLangs(pdf: Buffer): string[] {
  const src = pdf.toString("latin1");
  let all = src;
  const re = /(?<!end)stream\r?\n/g;
  let m;
  while ((m = re.exec(src))) {
    const start = m.index + m[0].length;
    const end = src.indexOf("endstream", start);
    if (end < 0) break;
    try {
      all += zlib.inflateSync(Buffer.from(src.slice(start, end), "latin1")).toString("latin1");
    } catch {
      /* not a flate stream */
    }
    re.lastIndex = end;
  }
  return [...new Set([...all.matchAll(/\/Lang ?\(([^)]*)\)/g)].map((x) => x[1]))];
}

/** Asserts `needles` occur in `text` in this order; returns the first missing or out-of-order one. */
export function firstOutOfOrder(text: string, needles: string[]): string | null {
  let at = 0;
  for (const n of needles) {
    const i = text.indexOf(n, at);
    if (i < 0) return n;
    at = i + n.length;
  }
  return null;
}

/** pdftotext breaks lines; compare on text with whitespace runs collapsed. */
export function flat(text: string): string {
  return text.replace(/\s+/g, " ");
}
