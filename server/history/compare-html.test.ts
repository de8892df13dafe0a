import { describe, expect, it } from "vitest";
import type { Comparison, Segment } from "./compare";
import { comparisonHtml } from "./compare-html";

const seg = (text: string, op: Segment["op"], author: string | null = null): Segment => ({ text, op, author });
const authors = { u1: { name: "Emre Yıldız", color: "#a00" }, u2: { name: "D'ana <x>", color: "rgb(1,2,3)" } };

describe("comparisonHtml", () => {
  it("marks insertions and deletions with their author's name and colour, and escapes everything it prints", () => {
    const c: Comparison = {
      fields: [{ blockType: "quote", label: "Erdoğan <&>", field: "speaker", before: "", after: 'R. T. "Erdoğan"' }],
      blocks: [
        { type: "paragraph", level: null, change: "changed", segments: [seg("a\nb", "del", "u2"), seg("<c>", "ins", "u1"), seg("gone", "del", null), seg("kept", "same")], parts: [] },
        { type: "heading", level: 1, change: "same", segments: [seg("Agenda", "same")], parts: [] },
      ],
    };
    const html = comparisonHtml(c, authors, 3, 7);
    expect(html).toContain('<th scope="col">Version 3</th><th scope="col">Version 7</th>');
    expect(html).toContain("<td>Erdoğan &lt;&amp;&gt;</td><td>speaker</td><td><del>—</del></td><td><ins>R. T. &quot;Erdoğan&quot;</ins></td>");
    expect(html).toContain(
      '<p class="compare-block compare-changed">' +
        '<del style="color:rgb(1,2,3);text-decoration-color:rgb(1,2,3)" title="Deleted by D&#x27;ana &lt;x&gt;" data-author="D&#x27;ana &lt;x&gt;">a<br/>b</del>' +
        '<ins style="color:#a00;text-decoration-color:#a00" title="Inserted by Emre Yıldız" data-author="Emre Yıldız">&lt;c&gt;</ins>' +
        '<del title="Deleted">gone</del><span>kept</span></p>',
    );
    expect(html).toContain('<h2 class="compare-block compare-same"><span>Agenda</span></h2>');
  });

  it("shows a moved block once with its positions, and the content of quotes, topics and facts", () => {
    const c: Comparison = {
      fields: [],
      blocks: [
        { type: "agendaTopic", level: null, change: "moved", move: { from: 1, to: 3 }, movedBy: "u1", segments: [seg("Points", "same")], parts: [{ field: "title", label: "Title", segments: [seg("Energy", "ins", "u1")] }] },
        { type: "agendaTopic", level: null, change: "added", segments: [], parts: [{ field: "title", label: "Title", segments: [] }] },
        { type: "quote", level: null, change: "same", segments: [seg("Words", "same")], parts: [{ field: "translation", label: "Translation", segments: [seg("Sözler", "same")] }] },
        { type: "countryFact", level: null, change: "changed", segments: [], parts: [{ field: "label", label: "Label", segments: [seg("GDP", "same")] }, { field: "value", label: "Value", segments: [seg("2", "ins", "u2")] }, { field: "unit", label: "Unit", segments: [seg("bn", "same")] }] },
      ],
    };
    const html = comparisonHtml(c, authors, 1, 2);
    expect(html).not.toContain("<table");
    expect(html).toContain('<div class="compare-move-entry" data-move-from="1" data-move-to="3"><p class="muted compare-move">Moved from position 1 to 3 by Emre Yıldız</p><section class="compare-block compare-moved version-topic"');
    expect(html).toContain('<h3 data-field="title">Untitled topic</h3>');
    expect(html).toContain('<blockquote data-field="text"><span>Words</span></blockquote><figcaption data-field="translation">Translation: <span>Sözler</span></figcaption>');
    expect(html).toContain('<span data-field="label"><span>GDP</span></span>: <span data-field="value"><ins style="color:rgb(1,2,3)');
    expect(html).toContain(' <span data-field="unit"><span>bn</span></span></p></div>');
  });
});
