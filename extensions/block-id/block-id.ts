import { Extension } from "@tiptap/core";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { Plugin, PluginKey, type EditorState, type Transaction } from "@tiptap/pm/state";
import { AGENDA_TOPIC_ATTR_RULES } from "../agenda-topic/agenda-topic-attrs";
import { COUNTRY_FACT_ATTR_RULES } from "../country-fact/country-fact-attrs";
import { QUOTE_ATTR_RULES } from "../quote/quote-attrs";
import { sanitizeSome, type AttrRules } from "../shared/attribute-spec";
import { derivedBlockId, isBlockId, newBlockId } from "../shared/attrs";

/** Node types that carry a `blockId`. */
export const BLOCK_ID_TYPES = ["quote", "agendaTopic", "countryFact"] as const;
export type BlockType = (typeof BLOCK_ID_TYPES)[number];

/** The attribute rules of each block type, for sanitising updates. */
export const BLOCK_ATTR_RULES: Record<BlockType, AttrRules<Record<string, string>>> = {
  quote: QUOTE_ATTR_RULES,
  agendaTopic: AGENDA_TOPIC_ATTR_RULES,
  countryFact: COUNTRY_FACT_ATTR_RULES,
};

declare module "@tiptap/core" {
  interface Commands<ReturnType> {
    blockId: {
      /**
       * Sets attributes of the block with `blockId` (any block type), sanitised by that type's rules;
       * `blockId` itself cannot be changed. False when no such block exists.
       */
      updateBlockAttrs: (blockId: string, attrs: Record<string, unknown>) => ReturnType;
    };
  }
}

export const blockIdPluginKey = new PluginKey("blockId");

/** The meta key y-tiptap's sync plugin puts on transactions that apply remote (or undo) changes. */
const Y_SYNC_META = "y-sync$";

type Repair = { pos: number; id: string };

/**
 * Finds blocks whose id is missing, malformed or already used earlier in the document and picks a
 * new id for each. The first block (in document order) keeps a contested id, so every client
 * agrees on which copy is renamed. `makeId(seed)` supplies the new id.
 */
export function findBlockIdRepairs(doc: ProseMirrorNode, makeId: (seed: string) => string): Repair[] {
  const types = new Set<string>(BLOCK_ID_TYPES);
  const seen = new Set<string>();
  const pending: { pos: number; seed: string }[] = [];
  let ordinal = 0;
  doc.descendants((node, pos) => {
    if (types.has(node.type.name)) {
      ordinal += 1;
      const id = node.attrs.blockId;
      if (isBlockId(id) && !seen.has(id)) seen.add(id);
      else pending.push({ pos, seed: `${node.type.name}:${isBlockId(id) ? id : ""}:${ordinal}` });
    }
    // Blocks never sit inside text; skipping textblocks keeps this walk cheap on long documents.
    return !node.isTextblock && !node.isAtom;
  });
  return pending.map(({ pos, seed }) => {
    let id = makeId(seed);
    for (let n = 1; seen.has(id); n++) id = makeId(`${seed}#${n}`);
    seen.add(id);
    return { pos, id };
  });
}

/** All blocks with a blockId, in document order (for node views, anchors and tests). */
export function listBlocks(doc: ProseMirrorNode): { type: BlockType; blockId: string; pos: number }[] {
  const out: { type: BlockType; blockId: string; pos: number }[] = [];
  const types = new Set<string>(BLOCK_ID_TYPES);
  doc.descendants((node, pos) => {
    if (types.has(node.type.name)) out.push({ type: node.type.name as BlockType, blockId: String(node.attrs.blockId ?? ""), pos });
    return !node.isTextblock && !node.isAtom;
  });
  return out;
}

/** Position of the block with `blockId`, or -1. */
export function findBlockPos(doc: ProseMirrorNode, blockId: string): number {
  return listBlocks(doc).find((b) => b.blockId === blockId)?.pos ?? -1;
}

function repairTransaction(transactions: readonly Transaction[], state: EditorState): Transaction | null {
  if (!transactions.some((tr) => tr.docChanged)) return null;
  // A remote change is seen by every client at once: derive the new ids from the document so they
  // all write the same values; a local change (paste, insert) uses random ids.
  const remote = transactions.some((tr) => (tr.getMeta(Y_SYNC_META) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin);
  const repairs = findBlockIdRepairs(state.doc, remote ? derivedBlockId : () => newBlockId());
  if (repairs.length === 0) return null;
  const tr = state.tr;
  for (const { pos, id } of repairs) tr.setNodeAttribute(pos, "blockId", id);
  tr.setMeta(blockIdPluginKey, true);
  tr.setMeta("addToHistory", false);
  return tr;
}

/** The ProseMirror plugin behind the `BlockId` extension. */
export function createBlockIdPlugin(): Plugin {
  return new Plugin({
    key: blockIdPluginKey,
    appendTransaction: (transactions, _oldState, newState) => repairTransaction(transactions, newState),
  });
}

/**
 * Gives every structured block a unique `blockId`: one that lacks an id, or duplicates an earlier
 * block's (a pasted copy), gets a fresh one. It never touches a block whose id is already unique, so
 * collaborating clients do not fight over ids.
 */
export const BlockId = Extension.create({
  name: "blockId",

  addCommands() {
    return {
      updateBlockAttrs:
        (blockId, attrs) =>
        ({ state, tr, dispatch }) => {
          const pos = findBlockPos(state.doc, blockId);
          if (pos < 0) return false;
          const node = state.doc.nodeAt(pos)!;
          const { blockId: _ignored, ...changes } = sanitizeSome(BLOCK_ATTR_RULES[node.type.name as BlockType], attrs);
          if (dispatch) tr.setNodeMarkup(pos, undefined, { ...node.attrs, ...changes });
          return true;
        },
    };
  },

  addProseMirrorPlugins() {
    return [createBlockIdPlugin()];
  },
});
