import { AlignmentType, type IStylesOptions } from "docx";
import { PDF_FONT_FAMILY } from "./fonts";

/**
 * The Word file's look (docx.ts), kept apart from what it says: Word's own style names (Title,
 * Heading1…6, Quote, TOC Heading) so a desk can apply its house template over them, in the PDF's
 * colours and face.
 */

export const MONO = "Noto Sans Mono";
export const ACCENT = "1F4E79";
export const MUTED = "5B6472";
export const WARN = "8A4B00";
/** Body text: British English, as the PDF template sets it. */
const BODY_LANG = "en-GB";

const para = (id: string, name: string, run: Record<string, unknown>, paragraph: Record<string, unknown> = {}) => ({
  id,
  name,
  basedOn: "Normal",
  next: "Normal",
  quickFormat: true,
  run,
  paragraph,
});

const heading = (level: number, size: number) => ({
  run: { font: PDF_FONT_FAMILY, bold: true, size, color: ACCENT },
  paragraph: { spacing: { before: 240, after: 120 }, keepNext: true, outlineLevel: level - 1 },
});

/** The document's default, heading and paragraph styles. */
export function wordStyles(): IStylesOptions {
  return {
    default: {
      document: { run: { font: PDF_FONT_FAMILY, size: 21, language: { value: BODY_LANG } }, paragraph: { spacing: { after: 120 } } },
      title: { run: { font: PDF_FONT_FAMILY, size: 56, bold: true, color: "1C2430" } },
      heading1: heading(1, 32),
      heading2: heading(2, 26),
      heading3: heading(3, 23),
      heading4: heading(4, 21),
      heading5: heading(5, 21),
      heading6: heading(6, 21),
      hyperlink: { run: { color: ACCENT, underline: {} } },
    },
    paragraphStyles: [
      para("TOCHeading", "TOC Heading", { size: 32, bold: true, color: ACCENT }, { spacing: { after: 240 } }),
      para("Subtitle", "Subtitle", { size: 28, color: ACCENT }),
      para("CoverTeam", "Cover team", { size: 18, bold: true, color: MUTED }, { spacing: { before: 1200, after: 240 } }),
      para("CoverDetail", "Cover detail", { size: 22, color: "1C2430" }),
      para("DraftMark", "Draft mark", { size: 96, bold: true, color: "CDD6E2" }, { spacing: { before: 1200 } }),
      para("Quote", "Quote", { italics: true, size: 22 }, { spacing: { before: 200, after: 80 } }),
      para("QuoteDetail", "Quote detail", { size: 18, color: MUTED }, { spacing: { after: 80 } }),
      para("TopicLabels", "Topic labels", { size: 17, color: MUTED }, { spacing: { after: 160 } }),
      para("FactCaption", "Fact caption", { size: 18, bold: true, color: ACCENT }, { spacing: { before: 200, after: 80 } }),
      para("FactCell", "Fact cell", { size: 18 }, { spacing: { after: 0 } }),
      para("FactNote", "Fact note", { size: 15, color: WARN }),
      para("Marking", "Classification marking", { size: 16, bold: true, color: ACCENT }, { alignment: AlignmentType.CENTER, spacing: { after: 0 } }),
      para("FooterLine", "Footer line", { size: 15, color: MUTED }, { alignment: AlignmentType.CENTER, spacing: { after: 0 } }),
    ],
  };
}
