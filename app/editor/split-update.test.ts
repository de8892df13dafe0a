import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { splitUpdate, UnsplittableUpdateError } from "./split-update";

/** A document like the editor's: paragraphs of text in the `default` fragment. */
function paragraph(doc: Y.Doc, text: string, at = doc.getXmlFragment("default").length) {
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment("default").insert(at, [p]);
  return p;
}

/** Applies the pieces one by one; after each, nothing may be left waiting for a later one. */
function applyInOrder(target: Y.Doc, pieces: Uint8Array[]) {
  for (const [i, piece] of pieces.entries()) {
    Y.applyUpdate(target, piece);
    expect(target.store.pendingStructs, `piece ${i} left structs waiting`).toBeNull();
    expect(target.store.pendingDs, `piece ${i} left deletes waiting`).toBeNull();
  }
}

function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

describe("splitUpdate", () => {
  it("returns a small update as it is", () => {
    const doc = new Y.Doc();
    paragraph(doc, "short");
    const update = Y.encodeStateAsUpdate(doc);
    expect(splitUpdate(update, 1024)).toEqual([update]);
  });

  it("cuts one long text into pieces under the target that rebuild it exactly", () => {
    const server = new Y.Doc();
    paragraph(server, "Intro");
    const client = copyOf(server);
    // Emoji everywhere, so some cut falls between the two halves of a surrogate pair.
    const long = Array.from({ length: 20_000 }, (_, i) => (i % 7 === 0 ? "🇰🇿" : `w${i} `)).join("");
    paragraph(client, long);
    const diff = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
    expect(diff.byteLength).toBeGreaterThan(100_000);

    const pieces = splitUpdate(diff, 16 * 1024);
    expect(pieces.length).toBeGreaterThan(5);
    for (const p of pieces) expect(p.byteLength).toBeLessThanOrEqual(16 * 1024);
    applyInOrder(server, pieces);
    expect(server.getXmlFragment("default").toString()).toBe(client.getXmlFragment("default").toString());
    expect(server.getXmlFragment("default").toString()).not.toContain("\uFFFD");
    expect(Y.encodeStateVector(server)).toEqual(Y.encodeStateVector(client));
  });

  it("orders structs of several clients that refer to each other, and sends deletes last", () => {
    const server = new Y.Doc();
    paragraph(server, "Intro");
    const a = copyOf(server);
    for (let i = 0; i < 200; i++) paragraph(a, `alpha ${i} ${"x".repeat(200)}`);
    // A second client (a later tab) writes inside the first one's paragraphs and deletes some.
    const b = copyOf(a);
    const fragment = b.getXmlFragment("default");
    for (let i = 1; i < 200; i += 3) {
      const text = (fragment.get(i) as Y.XmlElement).get(0) as Y.XmlText;
      text.insert(3, `bravo ${i} `);
      text.delete(20, 50);
    }
    for (let i = 0; i < 50; i++) paragraph(b, `bravo tail ${i} ${"y".repeat(300)}`, 1 + i * 2);
    fragment.delete(0, 1); // deletes the server's own paragraph too
    const diff = Y.encodeStateAsUpdate(b, Y.encodeStateVector(server));

    const pieces = splitUpdate(diff, 8 * 1024);
    expect(pieces.length).toBeGreaterThan(5);
    for (const p of pieces) expect(p.byteLength).toBeLessThanOrEqual(8 * 1024);
    applyInOrder(server, pieces);
    expect(server.getXmlFragment("default").toString()).toBe(fragment.toString());
  });

  it("splits a large delete set into pieces of its own", () => {
    const server = new Y.Doc();
    const text = paragraph(server, "z".repeat(50_000)).get(0) as Y.XmlText;
    const client = copyOf(server);
    const mine = (client.getXmlFragment("default").get(0) as Y.XmlElement).get(0) as Y.XmlText;
    // Every other character: thousands of separate delete ranges.
    for (let i = 0; i < 5_000; i++) mine.delete(i, 1);
    const diff = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
    const pieces = splitUpdate(diff, 4 * 1024);
    expect(pieces.length).toBeGreaterThan(2);
    for (const p of pieces) expect(p.byteLength).toBeLessThanOrEqual(4 * 1024);
    applyInOrder(server, pieces);
    expect(text.toString()).toBe(mine.toString());
  });

  it("refuses a struct that no message could carry", () => {
    const doc = new Y.Doc();
    paragraph(doc, "x").setAttribute("title", "t".repeat(20_000));
    expect(() => splitUpdate(Y.encodeStateAsUpdate(doc), 4 * 1024, 8 * 1024)).toThrow(UnsplittableUpdateError);
  });
});
