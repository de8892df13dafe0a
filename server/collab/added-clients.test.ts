import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { addedClients } from "./room";

/** Applies `update` to `doc` and returns what the room and Y.parseUpdateMeta say about the emitted update. */
function observe(doc: Y.Doc, change: () => void): { fromTransaction: number[]; fromUpdate: number[] }[] {
  const seen: { fromTransaction: number[]; fromUpdate: number[] }[] = [];
  const listener = (update: Uint8Array, _origin: unknown, _doc: Y.Doc, tr: Y.Transaction) =>
    seen.push({ fromTransaction: addedClients(tr).sort(), fromUpdate: Array.from(Y.parseUpdateMeta(update).to.keys()).sort() });
  doc.on("update", listener);
  change();
  doc.off("update", listener);
  return seen;
}

describe("addedClients", () => {
  it("names exactly the clients whose structs the transaction's update carries, as parsing that update would", () => {
    const server = new Y.Doc();
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.getText("t").insert(0, "Astana ");
    b.getText("t").insert(0, "Ankara ");

    // One client's typing.
    const first = observe(server, () => Y.applyUpdate(server, Y.encodeStateAsUpdate(a)));
    expect(first).toEqual([{ fromTransaction: [a.clientID], fromUpdate: [a.clientID] }]);

    // An update that carries two clients' structs at once (offline work merged on return).
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    b.getText("t").insert(3, "yes");
    const c = new Y.Doc();
    c.getText("t").insert(0, "x");
    const merged = Y.mergeUpdates([Y.encodeStateAsUpdate(b, Y.encodeStateVector(server)), Y.encodeStateAsUpdate(c)]);
    const both = observe(server, () => Y.applyUpdate(server, merged));
    expect(both).toHaveLength(1);
    expect(both[0].fromTransaction).toEqual([b.clientID, c.clientID].sort());
    expect(both[0].fromTransaction).toEqual(both[0].fromUpdate);

    // A deletion alone adds no structs.
    Y.applyUpdate(a, Y.encodeStateAsUpdate(server));
    const before = Y.encodeStateVector(a);
    a.getText("t").delete(0, 3);
    const deletion = observe(server, () => Y.applyUpdate(server, Y.encodeStateAsUpdate(a, before)));
    expect(deletion).toEqual([{ fromTransaction: [], fromUpdate: [] }]);

    // A change made on the server's own document (an accepted suggestion, a restore).
    const own = observe(server, () => server.getText("t").insert(0, "«accepted» "));
    expect(own).toEqual([{ fromTransaction: [server.clientID], fromUpdate: [server.clientID] }]);
  });
});
