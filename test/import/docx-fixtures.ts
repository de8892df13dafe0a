import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from "docx";
import JSZip from "jszip";

/**
 * Word documents for the import tests, written by the `docx` package as Word would save them,
 * and hostile variants rewritten with jszip.
 */

const QUOTE_STYLES = [
  { id: "Quote", name: "Quote", basedOn: "Normal", run: { italics: true } },
  { id: "IntenseQuote", name: "Intense Quote", basedOn: "Normal", run: { italics: true, bold: true } },
];

const NUMBERING = {
  config: [{ reference: "steps", levels: [{ level: 0, format: LevelFormat.DECIMAL, text: "%1.", alignment: AlignmentType.START }] }],
};

/** A briefing-like document with every construct the import keeps. */
export function richDocx(): Promise<Buffer> {
  const doc = new Document({
    styles: { paragraphStyles: QUOTE_STYLES },
    numbering: NUMBERING,
    sections: [
      {
        children: [
          new Paragraph({ text: "Purpose of the visit", heading: HeadingLevel.HEADING_1 }),
          new Paragraph({
            children: [
              new TextRun("Trade is "),
              new TextRun({ text: "up", bold: true }),
              new TextRun(", tourism "),
              new TextRun({ text: "steady", italics: true }),
              new TextRun(" and the agreement "),
              new TextRun({ text: "signed", underline: {} }),
              new TextRun(". See "),
              new ExternalHyperlink({ link: "https://www.mfa.gov.tr/summit", children: [new TextRun({ text: "the ministry's page", style: "Hyperlink" })] }),
              new TextRun("."),
            ],
          }),
          new Paragraph({ text: "Talking points", heading: HeadingLevel.HEADING_2 }),
          new Paragraph({ text: "Energy corridor", bullet: { level: 0 } }),
          new Paragraph({ text: "Visa facilitation", bullet: { level: 0 } }),
          new Paragraph({ text: "Open the session", numbering: { reference: "steps", level: 0 } }),
          new Paragraph({ text: "Sign the memorandum", numbering: { reference: "steps", level: 0 } }),
          new Table({
            rows: [
              new TableRow({ tableHeader: true, children: [new TableCell({ children: [new Paragraph("Indicator")] }), new TableCell({ children: [new Paragraph("Value")] })] }),
              new TableRow({ children: [new TableCell({ children: [new Paragraph("Trade volume")] }), new TableCell({ children: [new Paragraph("$5 billion")] })] }),
            ],
          }),
          new Paragraph({ text: "Turkey and Kazakhstan have great potential for cooperation.", style: "Quote" }),
          new Paragraph({ text: "We are brothers, and we will stay brothers.", style: "IntenseQuote" }),
          new Paragraph("Closing remark."),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** A plain document of `paragraphs` paragraphs (under headings every ten), for size and time checks. */
export function longDocx(paragraphs: number): Promise<Buffer> {
  const children: Paragraph[] = [];
  for (let i = 0; i < paragraphs; i++) {
    if (i % 10 === 0) children.push(new Paragraph({ text: `Section ${i / 10 + 1}`, heading: HeadingLevel.HEADING_2 }));
    children.push(new Paragraph({ children: [new TextRun(`Paragraph ${i + 1}. `), new TextRun({ text: "Position: ", bold: true }), new TextRun("the delegation supports the corridor and asks for a timetable with milestones.")] }));
  }
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}

/** `docx` with `extra` added to the zip (and, when given, the document XML rewritten). */
export async function rewriteDocx(docx: Buffer, change: (zip: JSZip) => void | Promise<void>, compression: "STORE" | "DEFLATE" = "DEFLATE"): Promise<Buffer> {
  const zip = await JSZip.loadAsync(docx);
  await change(zip);
  return zip.generateAsync({ type: "nodebuffer", compression });
}

/**
 * A document with a linked (not embedded) image at `imageUrl`, an external relationship to
 * `otherUrl`, and a macro part, as a hostile or careless sender might.
 */
export async function externalDocx(imageUrl: string, otherUrl: string): Promise<Buffer> {
  const base = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph("Before the picture.")] }] }));
  return rewriteDocx(base, async (zip) => {
    const relsPath = "word/_rels/document.xml.rels";
    const rels = await zip.file(relsPath)!.async("string");
    const image = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image";
    zip.file(
      relsPath,
      rels.replace(
        "</Relationships>",
        `<Relationship Id="rIdLinked" Type="${image}" Target="${imageUrl}" TargetMode="External"/>` +
          `<Relationship Id="rIdFrame" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="${otherUrl}" TargetMode="External"/>` +
          `<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>`,
      ),
    );
    const docPath = "word/document.xml";
    const xml = await zip.file(docPath)!.async("string");
    const drawing =
      `<w:p><w:r><w:drawing><wp:inline><wp:extent cx="100" cy="100"/><wp:docPr id="7" name="Linked picture" descr="A linked picture"/>` +
      `<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">` +
      `<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:blipFill><a:blip r:link="rIdLinked"/></pic:blipFill></pic:pic>` +
      `</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p><w:p><w:r><w:t>After the picture.</w:t></w:r></w:p>`;
    zip.file(docPath, xml.replace(/(<w:p>|<w:p [^>]*>)/, `${drawing}$1`));
    zip.file("word/vbaProject.bin", Buffer.from("Attribute VB_Name = \"AutoOpen\"\nShell \"calc.exe\""));
  });
}
