import { Extension, type Editor } from "@tiptap/core";
import type { EditorState } from "@tiptap/pm/state";
import { NodeSelection, Plugin, PluginKey } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import {
  DEFAULT_LEVELS,
  effectiveLevel,
  markLabel,
  PORTION_MARK_ATTR,
  PORTION_MARK_TYPES,
  sanitizeLevelName,
  type ClassificationLevel,
} from "../../extensions/portion-mark/levels";

declare module "@tiptap/core" {
  interface Commands<ReturnType> {
    portionMarkEditing: {
      /** Marks the block at the selection with a level name ("" removes the mark). */
      setPortionMark: (level: string) => ReturnType;
      /** Steps the block's mark through none → lowest → … → highest → none. */
      cyclePortionMark: () => ReturnType;
    };
  }
}

const MARKABLE = new Set<string>(PORTION_MARK_TYPES);
const decorationsKey = new PluginKey<DecorationSet>("portionMarkLabels");
/** Transaction meta: the team's levels changed, redraw the labels. */
const REFRESH = "portionMarkLevels";

/**
 * The block a mark applies to: a selected block (a fact card), else the innermost markable block
 * around the caret; a paragraph that is a list item's text marks the list item.
 */
export function portionMarkTarget(state: EditorState): { pos: number; node: ProseMirrorNode } | null {
  const { selection } = state;
  if (selection instanceof NodeSelection && MARKABLE.has(selection.node.type.name)) return { pos: selection.from, node: selection.node };
  const { $from } = selection;
  for (let d = $from.depth; d > 0; d--) {
    const node = $from.node(d);
    if (!MARKABLE.has(node.type.name)) continue;
    const parent = d > 1 ? $from.node(d - 1) : null;
    if (node.type.name === "paragraph" && parent?.type.name === "listItem" && $from.index(d - 1) === 0) {
      return { pos: $from.before(d - 1), node: parent };
    }
    return { pos: $from.before(d), node };
  }
  return null;
}

/** The distinct marks in an editor document (the header's live level). */
export function marksInDoc(doc: ProseMirrorNode): string[] {
  const found = new Set<string>();
  doc.descendants((node) => {
    const mark = sanitizeLevelName(node.attrs[PORTION_MARK_ATTR]);
    if (mark) found.add(mark);
    return !node.isTextblock && !node.isAtom;
  });
  return [...found];
}

function labels(doc: ProseMirrorNode, levels: readonly ClassificationLevel[]): DecorationSet {
  const decorations: Decoration[] = [];
  doc.descendants((node, pos) => {
    const mark = sanitizeLevelName(node.attrs[PORTION_MARK_ATTR]);
    if (mark) decorations.push(Decoration.node(pos, pos + node.nodeSize, { "data-portion-label": markLabel(levels, mark), class: "portion-marked" }));
    return !node.isTextblock && !node.isAtom;
  });
  return DecorationSet.create(doc, decorations);
}

export function levelsOf(editor: Editor): readonly ClassificationLevel[] {
  return (editor.storage as unknown as { portionMarkEditing?: { levels: ClassificationLevel[] } }).portionMarkEditing?.levels ?? DEFAULT_LEVELS;
}

/** Gives the editor the team's levels (after a settings change too) and redraws the labels. */
export function setEditorLevels(editor: Editor, levels: ClassificationLevel[]): void {
  const storage = (editor.storage as unknown as { portionMarkEditing: { levels: ClassificationLevel[] } }).portionMarkEditing;
  storage.levels = levels;
  if (!editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(REFRESH, true).setMeta("addToHistory", false));
}

/** The brief's level as this editor sees it now; for display only, exports compute their own. */
export function liveLevel(editor: Editor, minimum: string): string {
  return effectiveLevel(levelsOf(editor), minimum, marksInDoc(editor.state.doc));
}

/**
 * Setting portion marks in the editor: commands, Mod-Alt-K, and the "(C)" label at the start of
 * each marked block (a node decoration read by CSS, so the stored text never contains it).
 */
export const PortionMarkEditing = Extension.create<Record<string, never>, { levels: ClassificationLevel[] }>({
  name: "portionMarkEditing",

  addStorage() {
    return { levels: DEFAULT_LEVELS.map((l) => ({ ...l })) };
  },

  addCommands() {
    return {
      setPortionMark:
        (level) =>
        ({ state, tr, dispatch }) => {
          const target = portionMarkTarget(state);
          if (!target) return false;
          if (dispatch) tr.setNodeAttribute(target.pos, PORTION_MARK_ATTR, sanitizeLevelName(level));
          return true;
        },
      cyclePortionMark:
        () =>
        ({ state, commands }) => {
          const target = portionMarkTarget(state);
          if (!target) return false;
          const names = levelsOf(this.editor).map((l) => l.name);
          const i = names.indexOf(String(target.node.attrs[PORTION_MARK_ATTR] ?? ""));
          return commands.setPortionMark(i + 1 < names.length ? names[i + 1] : "");
        },
    };
  },

  addKeyboardShortcuts() {
    return { "Mod-Alt-k": () => this.editor.commands.cyclePortionMark() };
  },

  addProseMirrorPlugins() {
    const editor = this.editor;
    return [
      new Plugin<DecorationSet>({
        key: decorationsKey,
        state: {
          init: (_config, state) => labels(state.doc, levelsOf(editor)),
          apply: (tr, old, _oldState, state) => (tr.docChanged || tr.getMeta(REFRESH) ? labels(state.doc, levelsOf(editor)) : old),
        },
        props: { decorations: (state) => decorationsKey.getState(state) },
      }),
    ];
  },
});

/** Slash-menu entries, one per level and one to remove the mark (shape of block-commands' entries). */
export function portionMarkCommands(editor: Editor) {
  const levels = levelsOf(editor);
  const entry = (id: string, label: string, description: string, level: string) => ({
    id,
    label,
    description,
    keywords: ["mark", "portion", "classification", "level", ...level.toLowerCase().split(" ").filter(Boolean)],
    glyph: "§",
    available: (e: Editor) => e.isEditable && portionMarkTarget(e.state) !== null,
    run: (e: Editor) => {
      e.chain().focus().setPortionMark(level).run();
    },
  });
  return [
    ...levels.map((l) => entry(`portion-${l.abbr}`, `Mark ${l.name} (${l.abbr})`, "Portion mark of this block", l.name)),
    entry("portion-none", "Remove portion mark", "This block carries the brief's minimum level", ""),
  ];
}
