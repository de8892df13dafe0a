import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { markState, sinceRead, type SinceReadInput } from "./since-read";

/** A mark with its own delete set never reads the history: a store that refuses proves it. */
const noHistory = {
  rows: () => {
    throw new Error("not read");
  },
  state: () => {
    throw new Error("not read");
  },
};

function input(doc: Y.Doc, mark: { stateVector: Uint8Array; deleteSet: Uint8Array }, clients: Record<string, string>, pendingAuthor: string | null): SinceReadInput {
  return { briefingId: "b", live: Y.encodeStateAsUpdate(doc), read: mark.stateVector, readDeleteSet: mark.deleteSet, seq: 0, clients, versions: [], pendingAuthor };
}

describe("sinceRead", () => {
  it("counts what was deleted after the mark by Yjs id, not what was deleted before it", async () => {
    const doc = new Y.Doc();
    const t = doc.getText("t");
    t.insert(0, "one two three four");
    t.delete(0, 4); // before the mark: "one "
    const mark = markState(Y.encodeStateAsUpdate(doc));
    t.delete(0, 4); // "two "
    t.delete(t.toString().indexOf("four"), 4);
    t.insert(0, "new ");
    t.delete(0, 2); // typed and deleted since: nothing the reader saw
    const counts = await sinceRead(noHistory, input(doc, mark, { [doc.clientID]: "u1" }, "u1"));
    expect(counts).toEqual({ changed: true, deletions: 2, byAuthor: { u1: { inserted: 2, deleted: 8 } } });
  });

  it("says nothing changed when the live state is the mark's", async () => {
    const doc = new Y.Doc();
    doc.getText("t").insert(0, "same");
    const mark = markState(Y.encodeStateAsUpdate(doc));
    expect(await sinceRead(noHistory, input(doc, mark, {}, null))).toEqual({ changed: false, deletions: 0, byAuthor: {} });
  });

  it("counts a run deleted at once by another client as its characters, and as one range", async () => {
    const server = new Y.Doc();
    const typist = new Y.Doc();
    const deleter = new Y.Doc();
    typist.on("update", (u: Uint8Array) => [server, deleter].forEach((d) => Y.applyUpdate(d, u)));
    deleter.on("update", (u: Uint8Array) => Y.applyUpdate(server, u));
    const t = typist.getText("t");
    // Typed a keystroke at a time: Yjs keeps the run as one item.
    for (const ch of "The delegation will raise transit corridors") t.insert(t.length, ch);
    const mark = markState(Y.encodeStateAsUpdate(server));
    deleter.getText("t").delete(4, 20); // "delegation will rais"
    const counts = await sinceRead(noHistory, input(server, mark, {}, "u2"));
    expect(server.getText("t").toString()).toBe("The e transit corridors");
    expect(counts).toEqual({ changed: true, deletions: 1, byAuthor: { u2: { inserted: 0, deleted: 20 } } });
  });
});
