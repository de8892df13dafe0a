import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { COLLAB_FIELD } from "../../extensions";
import { compareRendered, type Segment } from "./compare";
import { renderDoc, type RenderedText } from "./rendered";

/** The character-by-character walk the run walk replaced: each character's id looked up in the other text. */
function naive(a: RenderedText, b: RenderedText, author: (c: number) => string | null): Segment[] {
  const keys = (t: RenderedText) => {
    const out: { key: string; client: number }[] = [];
    for (let k = 0; k < t.ids.length; k += 3) for (let c = 0; c < t.ids[k + 2]; c++) out.push({ key: `${t.ids[k]}:${t.ids[k + 1] + c}`, client: t.ids[k] });
    return out;
  };
  const x = keys(a);
  const y = keys(b);
  const inA = new Set(x.map((e) => e.key));
  const inB = new Set(y.map((e) => e.key));
  const out: Segment[] = [];
  const push = (text: string, op: Segment["op"], who: string | null) => {
    const last = out[out.length - 1];
    if (last && last.op === op && last.author === who) last.text += text;
    else out.push({ text, op, author: who });
  };
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i].key === y[j].key) push(b.text[j++], "same", (i++, null));
    else if (i < x.length && !inB.has(x[i].key)) push(a.text[i++], "del", null);
    else if (j < y.length && !inA.has(y[j].key)) push(b.text[j], "ins", author(y[j++].client));
    else push(a.text[i++], "del", null);
  }
  return out;
}

function randomEdits(seed: number) {
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
  docs.forEach((d, i) => d.on("update", (u: Uint8Array, origin: unknown) => origin !== "sync" && docs.forEach((o, k) => k !== i && Y.applyUpdate(o, u, "sync"))));
  docs[0].transact(() =>
    docs[0].getXmlFragment(COLLAB_FIELD).insert(
      0,
      Array.from({ length: 20 }, (_, n) => {
        const p = new Y.XmlElement("paragraph");
        p.insert(0, [new Y.XmlText(`Paragraph ${n} of the brief on transit corridors and energy.`)]);
        return p;
      }),
    ),
  );
  const edit = (count: number) => {
    for (let e = 0; e < count; e++) {
      const frag = docs[e % 3].getXmlFragment(COLLAB_FIELD);
      const t = (frag.get(Math.floor(random() * frag.length)) as Y.XmlElement).get(0) as Y.XmlText;
      const r = random();
      if (r < 0.3 && t.length > 3) t.delete(Math.floor(random() * (t.length - 3)), 1 + Math.floor(random() * 3));
      else t.insert(Math.floor(random() * (t.length + 1)), "xyz".slice(0, 1 + Math.floor(random() * 3)));
    }
  };
  return { docs, edit };
}

describe("compareRendered's id walk", () => {
  it("gives exactly the character-by-character diff, run by run, for random edits by three writers", () => {
    for (const seed of [1, 7, 42, 1234]) {
      const { docs, edit } = randomEdits(seed);
      edit(150);
      const older = renderDoc(docs[0]);
      edit(300);
      const newer = renderDoc(docs[0]);
      const clients = Object.fromEntries(docs.map((d, i) => [String(d.clientID), `writer-${i}`]));
      const author = (c: number) => clients[String(c)] ?? null;
      const compared = compareRendered(older, newer, clients, null);
      expect(compared.blocks).toHaveLength(20);
      let changed = 0;
      compared.blocks.forEach((block, k) => {
        expect(block.segments, `seed ${seed}, block ${k}`).toEqual(naive(older[k].body, newer[k].body, author));
        if (block.change === "changed") changed++;
      });
      // The edits reached most paragraphs, with insertions by all three writers.
      expect(changed).toBeGreaterThan(15);
      const inserters = new Set(compared.blocks.flatMap((b) => b.segments.filter((s) => s.op === "ins").map((s) => s.author)));
      expect(inserters).toEqual(new Set(["writer-0", "writer-1", "writer-2"]));
    }
  });
});
