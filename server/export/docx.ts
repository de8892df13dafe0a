import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  Footer,
  Header,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableOfContents,
  TableRow,
  TextRun,
  WidthType,
  type ILevelsOptions,
  type ParagraphChild,
} from "docx";
import fs from "node:fs";
import { MONO, MUTED, WARN, wordStyles } from "./docx-styles";
import { topicTitleRuns, trackedRun, withRevisions } from "./docx-suggestions";
import { PDF_FONT_FAMILY, pdfFontFiles } from "./fonts";
import { unmarkNames } from "./names";
import { zip } from "./zip";
import type { ExportBlock, ExportClearance, ExportFacts, ExportModel, ExportQuote, ExportTopic, Lang, Run } from "./model-types";

/**
 * The brief as a Word document, from the same model the PDF template reads (model.ts), so the two
 * never disagree. Word styles (Heading1…, Title, Quote) carry the look, so a desk can restyle the
 * document in Word; every string is written as text, never as field code or markup.
 */

/** Word wants a region with the language; these are the desk's usual ones. */
const DEFAULT_REGION: Record<string, string> = { en: "GB", tr: "TR", kk: "KZ", ru: "RU", de: "DE", fr: "FR", az: "AZ", uz: "UZ", ky: "KG" };
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6];

/** The model's language as a Word `w:lang` value ("kk-KZ", "tr-TR"). */
export function wordLang(lang: Lang): string {
  const region = lang.region || DEFAULT_REGION[lang.lang] || "";
  return region ? `${lang.lang}-${region}` : lang.lang;
}

interface RunStyle {
  italics?: boolean;
  bold?: boolean;
  size?: number;
  color?: string;
  language?: string;
}

function textRuns(runs: Run[], style: RunStyle = {}): ParagraphChild[] {
  const language = style.language ? { value: style.language } : undefined;
  const out: ParagraphChild[] = [];
  for (const r of unmarkNames(runs)) {
    if (r.br) {
      out.push(new TextRun({ break: 1 }));
      continue;
    }
    const options = {
      text: r.t,
      bold: r.b || style.bold,
      italics: r.i || style.italics,
      underline: r.u ? {} : undefined,
      strike: r.s,
      font: r.code ? MONO : undefined,
      size: style.size,
      color: style.color,
      language,
      style: r.href ? "Hyperlink" : undefined,
    };
    const run = trackedRun(options, r) ?? new TextRun(options);
    out.push(r.href ? new ExternalHyperlink({ link: r.href, children: [run] }) : run);
  }
  return out;
}

const plain = (text: string, style: RunStyle = {}) => textRuns([{ t: text }], style);

function sourceChildren(source: string, href: string, style: RunStyle): ParagraphChild[] {
  if (!source) return [];
  return textRuns([href ? { t: source, href } : { t: source }], style);
}

/** Numbered lists need one numbering definition per start value; bullets share one. */
class Numbering {
  readonly configs: { reference: string; levels: ILevelsOptions[] }[] = [];
  private byStart = new Map<number, string>();
  private instance = 0;

  constructor() {
    this.configs.push({
      reference: "bullets",
      levels: Array.from({ length: 9 }, (_, level) => ({
        level,
        format: LevelFormat.BULLET,
        text: ["•", "◦", "▪"][level % 3],
        alignment: AlignmentType.LEFT,
        style: { paragraph: { indent: { left: 360 * (level + 1), hanging: 260 } } },
      })),
    });
  }

  ordered(start: number): { reference: string; instance: number } {
    let reference = this.byStart.get(start);
    if (!reference) {
      reference = `ordered-${start}`;
      this.byStart.set(start, reference);
      this.configs.push({
        reference,
        levels: Array.from({ length: 9 }, (_, level) => ({
          level,
          format: [LevelFormat.DECIMAL, LevelFormat.LOWER_LETTER, LevelFormat.LOWER_ROMAN][level % 3],
          text: `%${level + 1}.`,
          start: level === 0 ? start : 1,
          alignment: AlignmentType.LEFT,
          style: { paragraph: { indent: { left: 360 * (level + 1), hanging: 360 } } },
        })),
      });
    }
    // Each list is its own instance, so a second list starts counting again.
    return { reference, instance: ++this.instance };
  }
}

interface Ctx {
  numbering: Numbering;
  /** Left indent (twips) from enclosing blockquotes. */
  indent: number;
  list?: { reference: string; instance: number; level: number };
}

function blocks(list: ExportBlock[], ctx: Ctx): (Paragraph | Table)[] {
  return list.flatMap((b) => block(b, ctx));
}

function block(b: ExportBlock, ctx: Ctx): (Paragraph | Table)[] {
  const indent = ctx.indent ? { left: ctx.indent } : undefined;
  switch (b.kind) {
    case "paragraph": {
      const l = ctx.list;
      return [
        new Paragraph({
          children: textRuns(b.runs),
          indent: l ? undefined : indent,
          numbering: l ? { reference: l.reference, instance: l.instance, level: l.level } : undefined,
        }),
      ];
    }
    case "heading":
      return [new Paragraph({ heading: HEADINGS[b.level - 1], children: textRuns(b.runs) })];
    case "list": {
      const level = ctx.list ? Math.min(ctx.list.level + 1, 8) : 0;
      const num = b.ordered ? ctx.numbering.ordered(b.start) : { reference: "bullets", instance: 0 };
      return b.items.flatMap((item) => {
        // The item's first paragraph carries the number; what follows is indented under it.
        const [first, ...rest] = item;
        const head = first?.kind === "paragraph" ? block(first, { ...ctx, list: { ...num, level } }) : [];
        const tail = blocks(first?.kind === "paragraph" ? rest : item, { ...ctx, list: { ...num, level }, indent: 360 * (level + 1) });
        return [...head, ...tail];
      });
    }
    case "blockquote":
      return blocks(b.blocks, { ...ctx, list: undefined, indent: ctx.indent + 567 });
    case "code":
      return [
        new Paragraph({
          indent,
          shading: { type: ShadingType.CLEAR, fill: "F2F5F9", color: "auto" },
          children: b.text.split("\n").flatMap((line, i) => [
            ...(i ? [new TextRun({ break: 1 })] : []),
            new TextRun({ text: line, font: MONO, size: 18 }),
          ]),
        }),
      ];
    case "rule":
      return [new Paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 4, color: "C9D1DC", space: 1 } }, children: [] })];
    case "quote":
      return quote(b, ctx);
    case "topic":
      return topic(b, ctx);
    case "facts":
      return facts(b);
  }
}

function quote(q: ExportQuote, ctx: Ctx): Paragraph[] {
  const out = [
    // The quoted words carry their own language, so spelling and hyphenation follow it in Word.
    new Paragraph({ style: "Quote", indent: { left: ctx.indent + 567 }, children: textRuns(q.runs, { language: wordLang(q.lang) }) }),
  ];
  if (q.translation) {
    out.push(new Paragraph({ style: "QuoteDetail", indent: { left: ctx.indent + 567 }, children: plain(`Translation: ${q.translation}`) }));
  }
  const parts: ParagraphChild[] = [];
  const add = (children: ParagraphChild[]) => {
    if (!children.length) return;
    if (parts.length) parts.push(...plain(", "));
    parts.push(...children);
  };
  if (q.speaker) add(plain(q.speaker, { bold: true }));
  for (const t of [q.speakerRole, q.country, q.date]) if (t) add(plain(t));
  add(sourceChildren(q.source, q.sourceHref, {}));
  if (parts.length) out.push(new Paragraph({ style: "QuoteDetail", indent: { left: ctx.indent + 567 }, children: [...plain("— "), ...parts] }));
  return out;
}

function topic(t: ExportTopic, ctx: Ctx): (Paragraph | Table)[] {
  const chips = [`Priority ${t.priority}`, `Status ${t.status}`, ...(t.owner ? [`Owner: ${t.owner}`] : [])].join(" · ");
  return [
    new Paragraph({ heading: HEADINGS[t.level - 1], keepNext: true, children: topicTitleRuns(t) ?? plain(`${t.number}. ${t.title}`) }),
    new Paragraph({ style: "TopicLabels", keepNext: true, children: plain(chips) }),
    ...blocks(t.blocks, { ...ctx, list: undefined }),
  ];
}

function cell(children: ParagraphChild[], header = false): TableCell {
  return new TableCell({
    children: [new Paragraph({ style: "FactCell", children })],
    margins: { top: 70, bottom: 70, left: 100, right: 100 },
    shading: header ? { type: ShadingType.CLEAR, fill: "F2F5F9", color: "auto" } : undefined,
  });
}

function facts(f: ExportFacts): (Paragraph | Table)[] {
  const withCountry = f.country === "";
  const head = [...(withCountry ? ["Country"] : []), "Indicator", "Value", "As of", "Source"];
  const rows = [
    new TableRow({ tableHeader: true, children: head.map((h) => cell(plain(h.toUpperCase(), { bold: true, color: MUTED, size: 16 }), true)) }),
    ...f.rows.map(
      (r) =>
        new TableRow({
          cantSplit: true,
          children: [
            ...(withCountry ? [cell(plain(r.country))] : []),
            cell(plain(r.label)),
            cell(plain(r.unit ? `${r.value} ${r.unit}` : r.value, { bold: true })),
            cell(r.stale ? [...plain(r.asOf, { color: WARN }), ...plain(" STALE", { bold: true, color: WARN, size: 15 })] : plain(r.asOf)),
            cell(sourceChildren(r.source, r.sourceHref, { color: MUTED, size: 16 })),
          ],
        }),
    ),
  ];
  const out: (Paragraph | Table)[] = [];
  if (f.country) out.push(new Paragraph({ style: "FactCaption", keepNext: true, children: plain(`Country facts — ${f.country}`) }));
  out.push(new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } }));
  if (f.rows.some((r) => r.stale)) {
    out.push(new Paragraph({ style: "FactNote", children: plain("Facts marked STALE are older than the desk's freshness limit; verify before use.") }));
  } else out.push(new Paragraph({ style: "FactNote", children: [] }));
  return out;
}

/** The final version's clearance record, as the PDF's last section: who approved what, when, and any override. */
function clearance(c: ExportClearance): (Paragraph | Table)[] {
  const head = ["Approver", "Section", "Decision", "When", "Note"];
  const rows = [
    new TableRow({ tableHeader: true, children: head.map((h) => cell(plain(h.toUpperCase(), { bold: true, color: MUTED, size: 16 }), true)) }),
    ...c.rows.map((r) => new TableRow({ cantSplit: true, children: [r.approver, r.section, r.decision, r.at, r.note].map((t) => cell(plain(t))) })),
  ];
  const out: (Paragraph | Table)[] = [
    new Paragraph({ children: [new PageBreak()] }),
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: plain("Clearance record") }),
    new Paragraph({ children: plain(`Finalized by ${c.finalizedBy} on ${c.finalizedAt}.`) }),
  ];
  if (c.rows.length > 0) out.push(new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } }));
  if (c.override) out.push(new Paragraph({ children: [...plain("Finalized without every approval by ", { bold: true }), ...plain(`${c.override.by}: ${c.override.reason}`)] }));
  return out;
}

function cover(model: ExportModel): Paragraph[] {
  const m = model.meta;
  const line = (text: string, style: string) => new Paragraph({ style, children: plain(text) });
  const out = [
    line(m.team.toUpperCase(), "CoverTeam"),
    new Paragraph({ heading: HeadingLevel.TITLE, children: plain(m.title) }),
    line(m.summitName, "Subtitle"),
    line([m.city, m.dates].filter(Boolean).join(" · "), "CoverDetail"),
    line(`Classification: ${m.classification}`, "CoverDetail"),
    line(`Status: ${m.statusLabel}`, "CoverDetail"),
    line(`Exported ${m.exportedAt}`, "CoverDetail"),
  ];
  if (m.version !== null) {
    out.push(line(`Final version ${m.version}${m.finalizedAt ? `, finalized ${m.finalizedAt}` : ""}${m.finalizedBy ? ` by ${m.finalizedBy}` : ""}`, "CoverDetail"));
    out.push(line(`Content hash (sha256): ${m.contentHash}`, "CoverDetail"));
  } else {
    out.push(line("DRAFT", "DraftMark"));
  }
  return out;
}

function marking(model: ExportModel): Paragraph {
  const m = model.meta;
  const text = m.draft ? `DRAFT · ${m.classification}` : m.classification;
  return new Paragraph({ style: "Marking", children: plain(text) });
}

function footer(model: ExportModel): Footer {
  const m = model.meta;
  const stamp = m.version !== null ? `Final version ${m.version} · sha256 ${m.shortHash}` : `${m.statusLabel} · not for distribution`;
  return new Footer({
    children: [
      marking(model),
      new Paragraph({
        style: "FooterLine",
        children: [
          new TextRun({ text: `${stamp} · ` }),
          new TextRun({ children: ["Page ", PageNumber.CURRENT, " of ", PageNumber.TOTAL_PAGES] }),
        ],
      }),
    ],
  });
}

/** Noto Sans in its four faces, the PDF's files: read once per thread. */
export interface DocxFonts {
  regular: Buffer;
  italic: Buffer;
  bold: Buffer;
  boldItalic: Buffer;
}

export function loadDocxFonts(): DocxFonts {
  const [regular, italic, bold, boldItalic] = pdfFontFiles().map((f) => fs.readFileSync(f));
  return { regular, italic, bold, boldItalic };
}

/**
 * The Word document, as bytes. Synchronous work: call it off the event loop (docx-worker.ts).
 * With `fonts`, Noto Sans travels inside the file, so Word and LibreOffice on a ministry desktop
 * without it draw Turkish and Kazakh in the same face as the PDF instead of a substitute.
 */
export async function renderDocx(model: ExportModel, fonts?: DocxFonts): Promise<Buffer> {
  const numbering = new Numbering();
  const body = withRevisions(model.suggestions, () => blocks(model.blocks, { numbering, indent: 0 }));
  const doc = new Document({
    title: model.meta.title,
    creator: model.meta.team,
    subject: model.meta.summitName,
    keywords: [model.meta.summitName, model.meta.city, model.meta.classification].filter(Boolean).join(", "),
    // Word fills the contents field and the page counts in when it opens the document.
    features: { updateFields: true },
    fonts: fonts ? [{ name: PDF_FONT_FAMILY, data: fonts.regular, bold: fonts.bold, italic: fonts.italic, boldItalic: fonts.boldItalic }] : [],
    numbering: { config: numbering.configs },
    styles: wordStyles(),
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 }, // A4, as the PDF
            margin: { top: 1587, bottom: 1587, left: 1417, right: 1417 },
          },
        },
        headers: { default: new Header({ children: [marking(model)] }) },
        footers: { default: footer(model) },
        children: [
          ...cover(model),
          new Paragraph({ children: [new PageBreak()] }),
          new Paragraph({ style: "TOCHeading", children: plain("Contents") }),
          new TableOfContents("Contents", { hyperlink: true, headingStyleRange: "1-3" }),
          new Paragraph({ children: [new PageBreak()] }),
          ...body,
          ...(model.clearance ? clearance(model.clearance) : []),
        ],
      },
    ],
  });
  return pack(doc);
}

/** The part of `docx`'s Packer that turns a document into its package parts (paths → XML or bytes). */
type PartCompiler = { compile(file: Document): Map<string, string | Uint8Array> };

/**
 * `Packer.toBuffer`, zipped natively (zip.ts): the package's parts come from the Packer's own
 * compiler, so the document is exactly what `docx` writes. Should a later `docx` move that
 * compiler, the Packer's slower zipping is used instead.
 */
async function pack(doc: Document): Promise<Buffer> {
  const compiler = (Packer as unknown as { compiler?: PartCompiler }).compiler;
  if (typeof compiler?.compile !== "function") return Packer.toBuffer(doc);
  const parts = compiler.compile(doc);
  return zip([...parts].map(([name, data]) => [name, typeof data === "string" ? Buffer.from(data, "utf8") : data]));
}
