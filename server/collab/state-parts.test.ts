import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { longBriefState } from "../../scripts/bench/fixtures";
import { COLLAB_FIELD } from "../../extensions";
import { frameUpdates, stateOfFrames } from "../export/update-frames";
import { StateParts } from "./state-parts";

/** A document from `state`, its first paragraph's text and the StateParts that follows its changes. */
function tracked(state: Uint8Array) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const parts = new StateParts();
  parts.reset([state]);
  doc.on("update", (u: Uint8Array) => parts.add(u));
  const first = (doc.getXmlFragment(COLLAB_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  return { doc, parts, first };
}

const bodyOf = (update: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getXmlFragment(COLLAB_FIELD).toString();
};

describe("a room's state as parts", () => {
  it("applied in order in another document, give exactly the live document, deletions included", () => {
    const { doc, parts, first } = tracked(longBriefState(5));
    for (let i = 0; i < 200; i++) first.insert((i * 7) % first.length, `k${i}`);
    first.delete(3, 40);
    const got = parts.get();
    expect(got!.length).toBe(1 + 201);
    const applied = stateOfFrames(frameUpdates(got!));
    expect(bodyOf(applied)).toBe(doc.getXmlFragment(COLLAB_FIELD).toString());
    expect(Y.encodeStateVector(bodyDoc(applied))).toEqual(Y.encodeStateVector(doc));
  });

  it("drops the changes once they outweigh the state they follow, and starts again from a new one", () => {
    const base = longBriefState(1);
    const { doc, parts, first } = tracked(base);
    let i = 0;
    while (parts.get()) first.insert(0, `change ${i++} `);
    // Past the state's own size in bytes: shipping the changes would cost more than one encoding.
    expect(i).toBeGreaterThan(10);
    const full = Y.encodeStateAsUpdate(doc);
    parts.reset([full]);
    first.insert(0, "after ");
    expect(bodyOf(stateOfFrames(frameUpdates(parts.get()!)))).toBe(doc.getXmlFragment(COLLAB_FIELD).toString());
  });
});

function bodyDoc(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc;
}
