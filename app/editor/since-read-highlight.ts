import { Extension } from "@tiptap/core";
import { isChangeOrigin } from "@tiptap/extension-collaboration";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import { relativePositionToAbsolutePosition, ySyncPluginKey } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { registerSinceReadTarget, type SinceReadAuthor, type SinceReadRequest } from "./since-read-channel";

/**
 * "Highlight changes" of the since-last-read banner (ADR 0112): every run of text in the live
 * Y.Doc whose Yjs items are newer than the state vector the person last read is marked with an
 * inline decoration in its author's colour, never written to the document. The marks are a
 * snapshot taken at the click, moved along with later edits; typing after it is not marked.
 */

export const SINCE_READ_CLASS = "since-read";

const sinceReadKey = new PluginKey<HighlightState>("sinceReadHighlight");

/** A marked run as Yjs relative positions (they follow their text through any change) and its author. */
interface Mark {
  from: Y.RelativePosition;
  to: Y.RelativePosition;
  author: SinceReadAuthor;
}

interface HighlightState {
  marks: Mark[];
  set: DecorationSet;
}

const EMPTY: HighlightState = { marks: [], set: DecorationSet.empty };

type Meta = { marks: Mark[] } | { clear: true };

interface Run {
  text: Y.XmlText;
  index: number;
  length: number;
  author: SinceReadAuthor;
}

const SOMEONE: SinceReadAuthor = { name: "someone", color: "#6b7280" };

/** The runs of `text` typed after `read`, neighbours by one author joined. */
function newRunsIn(text: Y.XmlText, read: Map<number, number>, authorOf: (client: number) => SinceReadAuthor | null): Run[] {
  const runs: Run[] = [];
  let index = 0;
  for (let item = text._start; item; item = item.right) {
    if (item.deleted || !item.countable) continue;
    // Yjs merges neighbouring items of one client, so an item may hold text from before the read too.
    const seen = Math.max(0, Math.min(item.length, (read.get(item.id.client) ?? 0) - item.id.clock));
    const author = seen < item.length ? authorOf(item.id.client) : null;
    if (author) {
      const last = runs[runs.length - 1];
      if (last && last.author === author && last.index + last.length === index + seen) last.length += item.length - seen;
      else runs.push({ text, index: index + seen, length: item.length - seen, author });
    }
    index += item.length;
  }
  return runs;
}

function collectRuns(type: Y.XmlFragment | Y.XmlElement, read: Map<number, number>, authorOf: (client: number) => SinceReadAuthor | null, out: Run[]) {
  for (const child of type.toArray()) {
    if (child instanceof Y.XmlText) out.push(...newRunsIn(child, read, authorOf));
    else if (child instanceof Y.XmlElement) collectRuns(child, read, authorOf, out);
  }
}

type SyncState = { doc?: Y.Doc; type?: Y.XmlFragment; binding?: { mapping: Map<unknown, unknown> } };

/** The runs typed after `request`'s state vector, as relative positions, or [] before the binding exists. */
export function planSinceRead(sync: SyncState | undefined, request: SinceReadRequest): Mark[] {
  if (!sync?.doc || !sync.type || !sync.binding) return [];
  const ydoc = sync.doc;
  const read = Y.decodeStateVector(request.stateVector);
  const authors = new Map<number, SinceReadAuthor | null>();
  for (const [client, author] of Object.entries(request.clients)) authors.set(Number(client), author ? { ...author } : null);
  const authorOf = (client: number): SinceReadAuthor | null => {
    // This device's own typing is the reader's, whatever the server knew of it.
    if (client === ydoc.clientID) return null;
    if (!authors.has(client)) authors.set(client, SOMEONE);
    return authors.get(client) ?? null;
  };
  const runs: Run[] = [];
  collectRuns(sync.type, read, authorOf, runs);
  // The end sticks to the run's last character, so text typed just after it is not pulled in.
  return runs.map((r) => ({ from: Y.createRelativePositionFromTypeIndex(r.text, r.index), to: Y.createRelativePositionFromTypeIndex(r.text, r.index + r.length, -1), author: r.author }));
}

/** Decorations for `marks` on `doc`, where the binding places them now. */
function decorate(sync: SyncState | undefined, doc: ProseMirrorNode, marks: Mark[]): DecorationSet {
  if (!sync?.doc || !sync.type || !sync.binding || marks.length === 0) return DecorationSet.empty;
  const mapping = sync.binding.mapping as never;
  const toPos = (rel: Y.RelativePosition) => relativePositionToAbsolutePosition(sync.doc!, sync.type!, rel, mapping);
  const decorations: Decoration[] = [];
  for (const run of marks) {
    const from = toPos(run.from);
    const to = toPos(run.to);
    if (from === null || to === null || to <= from || to > doc.content.size) continue;
    const label = `Added by ${run.author.name} since you last read`;
    decorations.push(
      Decoration.inline(from, to, {
        class: SINCE_READ_CLASS,
        style: `--since-read-color: ${run.author.color}`,
        title: label,
        "aria-label": label,
        "data-author": run.author.name,
      }),
    );
  }
  return DecorationSet.create(doc, decorations);
}

export const SinceReadHighlight = Extension.create({
  name: "sinceReadHighlight",

  onCreate() {
    const editor = this.editor;
    const unregister = registerSinceReadTarget({
      highlight(request) {
        const { view } = editor;
        const marks = planSinceRead(ySyncPluginKey.getState(view.state) as SyncState | undefined, request);
        view.dispatch(view.state.tr.setMeta(sinceReadKey, { marks } satisfies Meta).setMeta("addToHistory", false));
        return sinceReadKey.getState(view.state)?.set.find().length ?? 0;
      },
      clear() {
        if (editor.isDestroyed) return;
        editor.view.dispatch(editor.view.state.tr.setMeta(sinceReadKey, { clear: true } satisfies Meta).setMeta("addToHistory", false));
      },
    });
    editor.on("destroy", unregister);
  },

  addProseMirrorPlugins() {
    return [
      new Plugin<HighlightState>({
        key: sinceReadKey,
        state: {
          init: () => EMPTY,
          apply(tr, value, _old, state) {
            const meta = tr.getMeta(sinceReadKey) as Meta | undefined;
            if (meta && "clear" in meta) return EMPTY;
            const sync = () => ySyncPluginKey.getState(state) as SyncState | undefined;
            if (meta) return { marks: meta.marks, set: decorate(sync(), tr.doc, meta.marks) };
            if (!tr.docChanged || value.marks.length === 0) return value;
            // A change from the Y.Doc replaces whole blocks, which a mapping would drop the marks
            // with: place them again from their Yjs positions (the binding is already updated).
            // A local change maps them (the binding catches up only after it).
            return { marks: value.marks, set: isChangeOrigin(tr) ? decorate(sync(), tr.doc, value.marks) : value.set.map(tr.mapping, tr.doc) };
          },
        },
        props: { decorations: (state) => sinceReadKey.getState(state)?.set },
      }),
    ];
  },
});
