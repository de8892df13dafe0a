import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** The family name the PDF template and the Word export both ask for. */
export const PDF_FONT_FAMILY = "Noto Sans";

/**
 * The only fonts the PDF compiler sees: Noto Sans (OFL) from @expo-google-fonts/noto-sans, in the
 * four faces the template uses. Noto Sans covers Latin Extended and Cyrillic, so Turkish and Kazakh
 * come out exactly; anything it cannot draw is refused before compiling (see `findMissingGlyphs`).
 */
const FACES = [
  "400Regular/NotoSans_400Regular.ttf",
  "400Regular_Italic/NotoSans_400Regular_Italic.ttf",
  "700Bold/NotoSans_700Bold.ttf",
  "700Bold_Italic/NotoSans_700Bold_Italic.ttf",
] as const;

function fontDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve("@expo-google-fonts/noto-sans/package.json"));
}

export function pdfFontFiles(): string[] {
  const dir = fontDir();
  return FACES.map((f) => path.join(dir, f));
}

export interface PdfFonts {
  blobs: Buffer[];
  /** Code points every face can draw (the intersection), so bold or italic never falls back. */
  coverage: Set<number>;
}

export function loadPdfFonts(): PdfFonts {
  const blobs = pdfFontFiles().map((f) => fs.readFileSync(f));
  const [first, ...rest] = blobs.map(readCmap);
  const coverage = new Set([...first].filter((cp) => rest.every((s) => s.has(cp))));
  return { blobs, coverage };
}

/** Code points mapped by a TrueType/OpenType font's cmap (formats 4 and 12, Unicode subtables). */
export function readCmap(font: Buffer): Set<number> {
  const numTables = font.readUInt16BE(4);
  let cmap = -1;
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + i * 16;
    if (font.toString("latin1", rec, rec + 4) === "cmap") cmap = font.readUInt32BE(rec + 8);
  }
  if (cmap < 0) throw new Error("font has no cmap table");
  const subtables: { format: number; offset: number }[] = [];
  const count = font.readUInt16BE(cmap + 2);
  for (let i = 0; i < count; i++) {
    const rec = cmap + 4 + i * 8;
    const platform = font.readUInt16BE(rec);
    const encoding = font.readUInt16BE(rec + 2);
    const offset = cmap + font.readUInt32BE(rec + 4);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (unicode) subtables.push({ format: font.readUInt16BE(offset), offset });
  }
  const points = new Set<number>();
  const best = subtables.find((s) => s.format === 12) ?? subtables.find((s) => s.format === 4);
  if (!best) throw new Error("font has no Unicode cmap subtable of format 4 or 12");
  const o = best.offset;
  if (best.format === 12) {
    const groups = font.readUInt32BE(o + 12);
    for (let g = 0; g < groups; g++) {
      const start = font.readUInt32BE(o + 16 + g * 12);
      const end = font.readUInt32BE(o + 20 + g * 12);
      const glyph = font.readUInt32BE(o + 24 + g * 12);
      for (let cp = start; cp <= end; cp++) if (glyph + (cp - start) !== 0) points.add(cp);
    }
    return points;
  }
  const segs = font.readUInt16BE(o + 6) / 2;
  const ends = o + 14;
  const starts = ends + segs * 2 + 2;
  const deltas = starts + segs * 2;
  const rangeOffsets = deltas + segs * 2;
  for (let s = 0; s < segs; s++) {
    const end = font.readUInt16BE(ends + s * 2);
    const start = font.readUInt16BE(starts + s * 2);
    const delta = font.readInt16BE(deltas + s * 2);
    const ro = font.readUInt16BE(rangeOffsets + s * 2);
    for (let cp = start; cp <= end && cp !== 0xffff; cp++) {
      let glyph: number;
      if (ro === 0) glyph = (cp + delta) & 0xffff;
      else {
        const at = rangeOffsets + s * 2 + ro + (cp - start) * 2;
        glyph = font.readUInt16BE(at);
        if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
      }
      if (glyph !== 0) points.add(cp);
    }
  }
  return points;
}

/** Characters that are layout controls rather than glyphs (shaping hides them); never reported. */
const INVISIBLE = /[\p{Cf}\n\r\t]/u;

export interface MissingGlyph {
  char: string;
  codePoint: string;
  /** Where it was found, e.g. "quote by Kassym-Jomart Tokayev". */
  where: string;
}

/** Every distinct character in `texts` the fonts cannot draw, with the first place it appears. */
export function findMissingGlyphs(texts: Iterable<{ text: string; where: string }>, coverage: Set<number>): MissingGlyph[] {
  const missing = new Map<number, MissingGlyph>();
  for (const { text, where } of texts) {
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (coverage.has(cp) || missing.has(cp) || INVISIBLE.test(ch)) continue;
      missing.set(cp, { char: ch, codePoint: `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`, where });
    }
  }
  return [...missing.values()];
}
