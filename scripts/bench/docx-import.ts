// Scenario 10: a 50-page Word document imported through the New briefing form of the running
// server (upload, checks, conversion in the import thread, storage, redirect), first with a cold
// conversion thread, then warm. The document is built with the docx package as Word would save it.
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from "docx";
import { loginAs } from "../../test/helpers/http";
import { nowMs } from "./util";

export interface DocxImportResult {
  pages: number;
  bytes: number;
  coldMs: number;
  warmRunsMs: number[];
  warmMedianMs: number;
}

const PAGES = 50;
/** About 500 words a page: 24 paragraphs of ~20 words under two headings, a list and a table every page. */
async function fiftyPageDocx(): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [];
  const words = "The delegation supports the corridor and asks the other side for a timetable with milestones and a named contact".split(" ");
  for (let page = 1; page <= PAGES; page++) {
    children.push(new Paragraph({ text: `Topic ${page}`, heading: HeadingLevel.HEADING_1 }));
    for (let i = 0; i < 24; i++) {
      if (i === 12) children.push(new Paragraph({ text: `Position on topic ${page}`, heading: HeadingLevel.HEADING_2 }));
      children.push(new Paragraph({ children: [new TextRun({ text: `${page}.${i + 1} `, bold: true }), new TextRun(words.slice(0, 12 + (i % 8)).join(" ") + ".")] }));
    }
    children.push(new Paragraph({ text: "Energy", bullet: { level: 0 } }), new Paragraph({ text: "Transport", bullet: { level: 0 } }));
    children.push(
      new Table({
        rows: [
          new TableRow({ children: [new TableCell({ children: [new Paragraph("Indicator")] }), new TableCell({ children: [new Paragraph("Value")] })] }),
          new TableRow({ children: [new TableCell({ children: [new Paragraph("Trade")] }), new TableCell({ children: [new Paragraph(`$${page} billion`)] })] }),
        ],
      }),
    );
  }
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}

export async function docxImport(baseUrl: string, warm: number): Promise<DocxImportResult> {
  const file = await fiftyPageDocx();
  const cookie = await loginAs(baseUrl, "editor");
  const once = async () => {
    const form = new FormData();
    const fields = { title: "Imported", summitName: "Bench", city: "Astana", startDate: "2027-01-01", endDate: "2027-01-01", classification: "RESTRICTED", start: "word" };
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    form.set("file", new Blob([new Uint8Array(file)]), "fifty-pages.docx");
    const started = nowMs();
    const res = await fetch(`${baseUrl}/teams/demo-kz-tr-desk/new`, { method: "POST", headers: { Cookie: cookie, Origin: baseUrl }, body: form, redirect: "manual" });
    const ms = nowMs() - started;
    if (res.status !== 302) throw new Error(`import answered ${res.status}: ${await res.text()}`);
    return ms;
  };
  const coldMs = await once();
  const warmRunsMs: number[] = [];
  for (let i = 0; i < warm; i++) warmRunsMs.push(await once());
  const sorted = [...warmRunsMs].sort((a, b) => a - b);
  return { pages: PAGES, bytes: file.length, coldMs, warmRunsMs, warmMedianMs: sorted[Math.floor(sorted.length / 2)] };
}
