import type { Editor } from "@tiptap/core";
import { NodeSelection } from "@tiptap/pm/state";
import { portionMarkCommands } from "./portion-marks";

export interface BlockCommandUi {
  openFactPicker: () => void;
}

/** One thing the slash menu and the toolbar's Insert group can do. */
export interface BlockCommand {
  id: string;
  label: string;
  description: string;
  /** Extra words the slash menu matches. */
  keywords: string[];
  /** A short glyph shown beside the label. */
  glyph: string;
  available: (editor: Editor) => boolean;
  run: (editor: Editor, ui: BlockCommandUi) => void;
}

const hasNode = (name: string) => (editor: Editor) => Boolean(editor.schema.nodes[name]);

/** Puts the caret inside the first `type` node at or after `from` (a freshly inserted quote). */
function enterNode(editor: Editor, type: string, from: number) {
  const { doc } = editor.state;
  let target = -1;
  doc.nodesBetween(Math.max(0, from - 1), doc.content.size, (node, pos) => {
    if (target >= 0) return false;
    if (node.type.name === type) target = pos;
    return target < 0;
  });
  if (target >= 0) editor.commands.setTextSelection(target + 1);
}

/**
 * After inserting an atom block (a country fact) the editor leaves the block selected, and the next
 * keystroke would replace it. Put the caret in an empty paragraph right after it (the one already
 * there, or a new one: typing into the start of the next heading would glue the words onto it).
 */
export function caretAfterSelectedBlock(editor: Editor) {
  const { selection, doc, schema } = editor.state;
  if (!(selection instanceof NodeSelection) || !selection.node.isBlock) return;
  const after = selection.to;
  const next = doc.resolve(after).nodeAfter;
  if (next?.type === schema.nodes.paragraph && next.content.size === 0) {
    editor.chain().focus().setTextSelection(after + 1).run();
  } else {
    editor.chain().focus().insertContentAt(after, { type: "paragraph" }).setTextSelection(after + 1).run();
  }
}

/**
 * A new agenda topic is named first: focus the title field of the topic the caret is now in. The
 * field belongs to a React node view that renders a moment after the transaction, so wait for it.
 */
export function focusAgendaTitle(editor: Editor) {
  const { $from } = editor.state.selection;
  const topic = $from.depth > 0 ? $from.node(1) : null;
  const id = topic?.type.name === "agendaTopic" ? String(topic.attrs.blockId ?? "") : "";
  if (!id) return;
  let tries = 0;
  const attempt = () => {
    if (editor.isDestroyed) return;
    const input = editor.view.dom.querySelector<HTMLInputElement>(`#block-${CSS.escape(id)} .agenda-title`);
    if (input) input.focus();
    else if (++tries < 30) requestAnimationFrame(attempt);
  };
  requestAnimationFrame(attempt);
}

export const BLOCK_COMMANDS: BlockCommand[] = [
  {
    id: "paragraph",
    label: "Text",
    description: "Plain paragraph",
    keywords: ["paragraph", "body"],
    glyph: "¶",
    available: () => true,
    run: (e) => e.chain().focus().setParagraph().run(),
  },
  ...([1, 2, 3] as const).map(
    (level): BlockCommand => ({
      id: `heading${level}`,
      label: `Heading ${level}`,
      description: level === 1 ? "Section title" : level === 2 ? "Subsection" : "Small heading",
      keywords: ["heading", "title", `h${level}`],
      glyph: `H${level}`,
      available: () => true,
      run: (e) => e.chain().focus().setHeading({ level }).run(),
    }),
  ),
  {
    id: "bulletList",
    label: "Bulleted list",
    description: "Talking points",
    keywords: ["bullet", "list", "ul", "points"],
    glyph: "•",
    available: () => true,
    run: (e) => e.chain().focus().toggleBulletList().run(),
  },
  {
    id: "orderedList",
    label: "Numbered list",
    description: "Ordered steps",
    keywords: ["numbered", "ordered", "list", "ol"],
    glyph: "1.",
    available: () => true,
    run: (e) => e.chain().focus().toggleOrderedList().run(),
  },
  {
    id: "quote",
    label: "Quote",
    description: "Attributed statement with speaker and source",
    keywords: ["quote", "citation", "statement", "speaker"],
    glyph: "“",
    available: hasNode("quote"),
    run: (e) => {
      const from = e.state.selection.from;
      if (e.chain().focus().insertQuote().run()) enterNode(e, "quote", from);
    },
  },
  {
    id: "agendaTopic",
    label: "Agenda topic",
    description: "Numbered item with owner, priority and status",
    keywords: ["agenda", "topic", "item", "position"],
    glyph: "#",
    available: hasNode("agendaTopic"),
    run: (e) => {
      if (e.chain().focus().insertAgendaTopic().run()) focusAgendaTitle(e);
    },
  },
  {
    id: "countryFact",
    label: "Country fact",
    description: "A figure with unit, date and source",
    keywords: ["fact", "country", "figure", "statistic", "number"],
    glyph: "⚑",
    available: hasNode("countryFact"),
    run: (e) => {
      if (e.chain().focus().insertCountryFact().run()) caretAfterSelectedBlock(e);
    },
  },
  {
    id: "libraryFact",
    label: "Fact from library",
    description: "Reuse a fact the team keeps up to date",
    keywords: ["fact", "library", "reuse", "country"],
    glyph: "⧉",
    available: hasNode("countryFact"),
    run: (_e, ui) => ui.openFactPicker(),
  },
];

/** Commands whose label or keywords start with (or contain) the query, best matches first. */
export function filterCommands(editor: Editor, query: string): BlockCommand[] {
  const q = query.trim().toLowerCase();
  const available = [...BLOCK_COMMANDS, ...portionMarkCommands(editor)].filter((c) => c.available(editor));
  if (!q) return available;
  const score = (c: BlockCommand) => {
    const words = [c.label.toLowerCase(), ...c.keywords];
    if (words.some((w) => w.startsWith(q))) return 2;
    if (words.some((w) => w.includes(q))) return 1;
    return 0;
  };
  return available
    .map((c) => ({ c, s: score(c) }))
    .filter((x) => x.s > 0)
    .sort((x, y) => y.s - x.s)
    .map((x) => x.c);
}
