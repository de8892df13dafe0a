/**
 * Where a warm PDF render's time goes, in CPU time of this process (every thread, so the compiler's
 * own threads count), phase by phase, on the generated ~50-page brief changed each time as in
 * scripts/bench/pdf.ts. CPU time rather than wall time because the machine is shared: it does not
 * grow when other work takes the cores.
 *
 * Run: `node --import tsx scripts/bench/pdf-phases.ts [pages] [warmRuns] [--template=<file>]`; with
 * `--template` the sandbox holds that template instead (e.g. an earlier revision, to compare).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as Y from "yjs";
import { COLLAB_FIELD } from "../../extensions";
import { updateToJSON } from "../../server/export/document-json";
import { buildExportModel, type ExportInfo, type PMNode } from "../../server/export/model";
import { BriefingRenderer, prepareSandbox, TEMPLATE_FILE } from "../../server/export/render";
import { longBriefState } from "./fixtures";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const template = process.argv.find((a) => a.startsWith("--template="))?.slice("--template=".length);
const pages = Number(args[0] ?? 50);
const runs = Number(args[1] ?? 8);

const info = (n: number): ExportInfo => ({
  title: `Kazakhstan–Türkiye summit: delegation brief (${n})`,
  summitName: "Kazakhstan–Türkiye Presidential Summit",
  city: "Ankara",
  startDate: "2026-12-14",
  endDate: "2026-12-15",
  classification: "RESTRICTED",
  status: "draft",
  team: "Kazakhstan–Türkiye desk",
  exportedAt: new Date(0),
  staleMonths: 12,
});

/** The brief as a Yjs update with a paragraph added after the title, so the layout after it is new. */
function variantUpdate(base: Uint8Array, n: number): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, base);
  const fragment = doc.getXmlFragment(COLLAB_FIELD);
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText(`Revision ${n}: ${"an added line of text that reflows what follows. ".repeat(1 + (n % 4))}`)]);
  fragment.insert(1, [p]);
  const out = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return out;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

const root = fs.mkdtempSync(path.join(os.tmpdir(), "pdf-phases-"));
prepareSandbox(root);
if (template) fs.writeFileSync(path.join(root, TEMPLATE_FILE), fs.readFileSync(template));
const renderer = new BriefingRenderer(root);
const base = longBriefState(pages);
const totals = new Map<string, number[]>();
for (let i = 0; i <= runs; i++) {
  const update = variantUpdate(base, i);
  const phases = new Map<string, number>();
  const time = <T>(name: string, fn: () => T): T => {
    const c = process.cpuUsage();
    const r = fn();
    phases.set(name, (phases.get(name) ?? 0) + cpuMs(c));
    return r;
  };
  const c0 = process.cpuUsage();
  const doc: PMNode = time("yjs → ProseMirror JSON", () => updateToJSON(update));
  const model = time("export model", () => buildExportModel(doc, info(i)));
  const result = renderer.render(model, (name, ms) => phases.set(name, (phases.get(name) ?? 0) + ms));
  phases.set("total", cpuMs(c0));
  if (i === 0) {
    process.stdout.write(`${result.pages} pages, ${result.pdf.length} bytes (first render not counted)\n`);
    continue;
  }
  for (const [k, v] of phases) totals.set(k, [...(totals.get(k) ?? []), v]);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [k, v] of totals) process.stdout.write(`${k.padEnd(26)} median ${median(v).toFixed(1).padStart(7)} ms CPU   min ${Math.min(...v).toFixed(1)}\n`);
fs.rmSync(root, { recursive: true, force: true });
