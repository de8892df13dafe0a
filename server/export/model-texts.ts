import type { ExportBlock, ExportModel, Run } from "./model-types";

/** Every string the template will print, with where it came from (for the glyph check). */
export function* modelTexts(model: ExportModel): Generator<{ text: string; where: string }> {
  for (const [key, value] of Object.entries(model.meta)) {
    if (typeof value === "string") yield { text: value, where: `briefing ${key}` };
  }
  function* ofRuns(r: Run[], where: string) {
    for (const run of r) yield { text: run.t, where };
  }
  function* walk(blocks: ExportBlock[], where: string): Generator<{ text: string; where: string }> {
    for (const b of blocks) {
      switch (b.kind) {
        case "heading":
          yield* ofRuns(b.runs, `heading “${plainRuns(b.runs).slice(0, 40)}”`);
          break;
        case "paragraph":
          yield* ofRuns(b.runs, where);
          break;
        case "list":
          for (const item of b.items) yield* walk(item, where);
          break;
        case "blockquote":
          yield* walk(b.blocks, where);
          break;
        case "code":
          yield { text: b.text, where };
          break;
        case "quote": {
          const w = `quote by ${b.speaker || "an unnamed speaker"}`;
          yield* ofRuns(b.runs, w);
          for (const t of [b.speaker, b.speakerRole, b.country, b.date, b.source, b.translation]) yield { text: t, where: w };
          break;
        }
        case "topic": {
          const w = `agenda topic ${b.number} “${b.title.slice(0, 40)}”`;
          yield { text: b.title, where: w };
          yield { text: b.owner, where: w };
          yield* walk(b.blocks, w);
          break;
        }
        case "facts":
          for (const r of b.rows) {
            const w = `country fact “${r.label.slice(0, 40)}”`;
            for (const t of [r.country, r.label, r.value, r.unit, r.asOf, r.source]) yield { text: t, where: w };
          }
          break;
      }
    }
  }
  yield* walk(model.blocks, "body text");
}

function plainRuns(r: Run[]): string {
  return r.map((x) => x.t).join("");
}
