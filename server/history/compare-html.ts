import type { Comparison, ComparedBlock, ComparedPart, Segment } from "./compare";

/** Authors of a comparison by user id: the name and colour their insertions and deletions are shown in. */
export type Authors = Record<string, { name: string; color: string }>;

/**
 * A comparison as the HTML the compare page inserts (docs/decisions/0110, 0116): the changed block
 * fields side by side, then the newer body with insertions (`<ins>`) and deletions (`<del>`) in
 * each author's colour, moved blocks with their positions, structured blocks with their content.
 * Built as a string in a history thread: a 50-page comparison is tens of thousands of runs, which
 * React's server renderer took ~5× longer to print than this (docs/decisions/0120).
 */
export function comparisonHtml(comparison: Comparison, authors: Authors, a: number, b: number): string {
  const out: string[] = [];
  if (comparison.fields.length > 0) {
    out.push(
      '<table class="versions-table card compare-fields"><caption>Changed block fields</caption><thead><tr>',
      `<th scope="col">Block</th><th scope="col">Field</th><th scope="col">Version ${a}</th><th scope="col">Version ${b}</th></tr></thead><tbody>`,
    );
    for (const f of comparison.fields) {
      out.push(`<tr><td>${esc(f.label)}</td><td>${esc(f.field)}</td><td><del>${esc(f.before || "—")}</del></td><td><ins>${esc(f.after || "—")}</ins></td></tr>`);
    }
    out.push("</tbody></table>");
  }
  out.push('<div class="card version-body compare-body">');
  for (const block of comparison.blocks) {
    if (block.move) {
      out.push(`<div class="compare-move-entry" data-move-from="${block.move.from}" data-move-to="${block.move.to}">`);
      const mover = block.movedBy ? authors[block.movedBy] : undefined;
      out.push(`<p class="muted compare-move">Moved from position ${block.move.from} to ${block.move.to}${mover ? ` by ${esc(mover.name)}` : ""}</p>`);
      blockHtml(out, block, authors);
      out.push("</div>");
    } else blockHtml(out, block, authors);
  }
  out.push("</div>");
  return out.join("");
}

const STRUCTURED = new Set(["quote", "agendaTopic", "countryFact"]);

function blockHtml(out: string[], b: ComparedBlock, authors: Authors): void {
  const cls = `compare-block compare-${b.change}`;
  if (b.type === "heading") {
    const h = `h${Math.min((b.level ?? 1) + 1, 6)}`;
    out.push(`<${h} class="${cls}">`, segmentsHtml(b.segments, authors), `</${h}>`);
  } else if (STRUCTURED.has(b.type)) {
    structuredHtml(out, b, cls, authors);
  } else {
    out.push(`<p class="${cls}">`, segmentsHtml(b.segments, authors), "</p>");
  }
}

/**
 * A quote, agenda topic or country fact with its content and not only its label: the quote's words
 * and translation, the topic's title and body (talking points, draft position), the fact's label,
 * value and unit, each with its insertions and deletions.
 */
function structuredHtml(out: string[], b: ComparedBlock, cls: string, authors: Authors): void {
  const part = (field: string): ComparedPart | undefined => b.parts.find((p) => p.field === field);
  const show = (p: ComparedPart | undefined) => (p && p.segments.length > 0 ? segmentsHtml(p.segments, authors) : "");
  const body = segmentsHtml(b.segments, authors);
  if (b.type === "quote") {
    const translation = part("translation");
    out.push(`<figure class="${cls} version-quote" data-block-type="quote"><p class="muted compare-block-type">Quote</p><blockquote data-field="text">${body}</blockquote>`);
    if (translation && translation.segments.length > 0) out.push(`<figcaption data-field="translation">${esc(translation.label)}: ${show(translation)}</figcaption>`);
    out.push("</figure>");
    return;
  }
  if (b.type === "agendaTopic") {
    const title = show(part("title")) || "Untitled topic";
    out.push(
      `<section class="${cls} version-topic" data-block-type="agendaTopic"><p class="muted compare-block-type">Agenda topic</p>`,
      `<h3 data-field="title">${title}</h3><p data-field="body">${body}</p></section>`,
    );
    return;
  }
  // A country fact: "label: value unit".
  const unit = part("unit");
  out.push(`<div class="${cls}" data-block-type="${esc(b.type)}"><p class="muted compare-block-type">Country fact</p>`);
  out.push(`<p><span data-field="label">${show(part("label"))}</span>: <span data-field="value">${show(part("value"))}</span>`);
  if (unit && unit.segments.length > 0) out.push(` <span data-field="unit">${show(unit)}</span>`);
  out.push("</p>");
  if (b.segments.length > 0) out.push(`<p data-field="body">${body}</p>`);
  out.push("</div>");
}

/** Inserted text underlined and deleted text struck through, each in its author's colour; line breaks kept. */
function segmentsHtml(segments: Segment[], authors: Authors): string {
  let html = "";
  for (const s of segments) {
    const text = esc(s.text).replace(/\n/g, "<br/>");
    if (s.op === "same") {
      html += `<span>${text}</span>`;
      continue;
    }
    const who = s.author ? authors[s.author] : undefined;
    const tag = s.op === "ins" ? "ins" : "del";
    const title = `${s.op === "ins" ? "Inserted" : "Deleted"}${who ? ` by ${who.name}` : ""}`;
    const style = who ? ` style="color:${esc(who.color)};text-decoration-color:${esc(who.color)}"` : "";
    const author = who ? ` data-author="${esc(who.name)}"` : "";
    html += `<${tag}${style} title="${esc(title)}"${author}>${text}</${tag}>`;
  }
  return html;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" };

/** Text and attribute values escaped as React escapes them. */
function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}
