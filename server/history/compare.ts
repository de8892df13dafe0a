import * as Y from "yjs";
import { COLLAB_FIELD } from "../../extensions";

export type SegmentOp = "same" | "ins" | "del";

/** A run of text in a comparison: unchanged, inserted or deleted, with the user id it is credited to. */
export interface Segment {
  text: string;
  op: SegmentOp;
  author: string | null;
}

export interface ComparedBlock {
  /** The ProseMirror node name (paragraph, heading, quote, agendaTopic, countryFact …). */
  type: string;
  level: number | null;
  change: "same" | "added" | "removed" | "changed";
  segments: Segment[];
}

/** A structured block whose fields differ between the two versions. */
export interface FieldChange {
  blockType: string;
  /** What the block is about (the speaker, the topic's title, the fact's label). */
  label: string;
  field: string;
  before: string;
  after: string;
}

export interface Comparison {
  blocks: ComparedBlock[];
  fields: FieldChange[];
}

/** Attributes that say which block it is, not what it says. */
const HIDDEN_FIELDS = new Set(["blockId", "ownerId", "libraryFactId"]);

/** An element's item in a snapshot: created before its state vector and not in its delete set. */
function visible(item: Y.Item | null, snap: Y.Snapshot): boolean {
  if (!item) return true;
  return (snap.sv.get(item.id.client) ?? 0) > item.id.clock && !Y.isDeleted(snap.ds, item.id);
}

/**
 * Compares two versions given as the ordered updates that rebuild the newer one (`updates`),
 * of which the first `olderCount` rebuild the older. One Y.Doc without garbage collection holds both,
 * so deleted text is still there to show; Yjs' own snapshot deltas split runs at the snapshots.
 * `clients` maps a Yjs client id to the user who typed through it; `deleter` names who deleted
 * text when the versions in between have exactly one author.
 */
export function compareVersions(updates: Uint8Array[], olderCount: number, clients: Record<string, string>, deleter: string | null): Comparison {
  const doc = new Y.Doc({ gc: false });
  try {
    doc.transact(() => updates.slice(0, olderCount).forEach((u) => Y.applyUpdate(doc, u)));
    const older = Y.snapshot(doc);
    doc.transact(() => updates.slice(olderCount).forEach((u) => Y.applyUpdate(doc, u)));
    const newer = Y.snapshot(doc);
    const union = Y.createSnapshot(older.ds, newer.sv);
    const fragment = doc.getXmlFragment(COLLAB_FIELD);
    const blocks: ComparedBlock[] = [];
    const fields: FieldChange[] = [];

    const children = (type: Y.XmlFragment | Y.XmlElement) =>
      (Y.typeListToArraySnapshot(type as unknown as Y.AbstractType<Y.YXmlEvent>, union) as (Y.XmlElement | Y.XmlText)[]).filter((c) => visible(c._item, older) || visible(c._item, newer));

    const walk = (node: Y.XmlElement | Y.XmlText, out: Segment[]) => {
      if (node instanceof Y.XmlText) {
        const delta = node.toDelta(newer, older, (type: "added" | "removed", id: Y.ID) => ({ type, user: type === "added" ? (clients[String(id.client)] ?? null) : deleter })) as {
          insert: unknown;
          attributes?: { ychange?: { type: "added" | "removed"; user: string | null } };
        }[];
        for (const op of delta) {
          if (typeof op.insert !== "string") continue;
          const change = op.attributes?.ychange;
          out.push({ text: op.insert, op: change ? (change.type === "added" ? "ins" : "del") : "same", author: change?.user ?? null });
        }
        return;
      }
      children(node).forEach((child, i) => {
        // Paragraphs inside a block (a topic's talking points) are separated by a line break.
        if (i > 0 && child instanceof Y.XmlElement && out.length > 0) out.push({ text: "\n", op: "same", author: null });
        walk(child, out);
      });
    };

    // One transaction for the whole walk: Yjs splits the runs at the snapshots once per transaction,
    // not once per text (measured: 1.2 s against a few ms for 1000 paragraphs).
    doc.transact(() => walkBlocks());
    return { blocks, fields };

    function walkBlocks() {
    for (const node of children(fragment)) {
      const inOlder = visible(node._item, older);
      const inNewer = visible(node._item, newer);
      const segments: Segment[] = [];
      walk(node, segments);
      const type = node instanceof Y.XmlElement ? node.nodeName : "text";
      const level = node instanceof Y.XmlElement ? Number(node.getAttribute("level")) || null : null;
      let change: ComparedBlock["change"] = !inOlder ? "added" : !inNewer ? "removed" : "same";
      if (change === "same" && node instanceof Y.XmlElement) {
        const before = node.getAttributes(older) as Record<string, unknown>;
        const after = node.getAttributes(newer) as Record<string, unknown>;
        const label = String(after.speaker || after.title || after.label || type);
        for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
          if (HIDDEN_FIELDS.has(field) || field === "level") continue;
          const b = before[field] === undefined ? "" : String(before[field]);
          const a = after[field] === undefined ? "" : String(after[field]);
          if (a !== b) fields.push({ blockType: type, label, field, before: b, after: a });
        }
        if (fields.some((f) => f.label === label && f.blockType === type)) change = "changed";
      }
      if (change === "same" && segments.some((s) => s.op !== "same")) change = "changed";
      blocks.push({ type, level, change, segments: merge(segments) });
    }
    }
  } finally {
    doc.destroy();
  }
}

/** Neighbouring runs of the same kind and author as one. */
function merge(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if (last && last.op === s.op && last.author === s.author) last.text += s.text;
    else out.push({ ...s });
  }
  return out;
}
