import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { deletionsSince } from "./since-read";

/** A document with one text, typed by one client. */
function docWith(text: string): { doc: Y.Doc; t: Y.Text } {
  const doc = new Y.Doc();
  const t = doc.getText("t");
  t.insert(0, text);
  return { doc, t };
}

describe("deletionsSince", () => {
  it("counts each deleted range of text that existed at the read once", () => {
    const { doc, t } = docWith("one two three four");
    const atRead = Y.encodeStateAsUpdate(doc);
    const read = Y.encodeStateVector(doc);
    t.delete(4, 4); // "two "
    t.delete(t.toString().indexOf("four"), 4);
    expect(deletionsSince(Y.encodeStateAsUpdate(doc), read, atRead)).toBe(2);
  });

  it("leaves out deletions the version read already had, and text typed and deleted since", () => {
    const { doc, t } = docWith("one two three");
    t.delete(0, 4); // before the read
    const atRead = Y.encodeStateAsUpdate(doc);
    const read = Y.encodeStateVector(doc);
    t.insert(0, "new ");
    t.delete(0, 4); // typed after the read: nothing the reader saw
    expect(deletionsSince(Y.encodeStateAsUpdate(doc), read, atRead)).toBe(0);
    t.delete(0, 3);
    expect(deletionsSince(Y.encodeStateAsUpdate(doc), read, atRead)).toBe(1);
  });
});
