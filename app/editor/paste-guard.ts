import { Extension } from "@tiptap/core";
import type { Slice } from "@tiptap/pm/model";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { formatBytes } from "./byte-size";

export interface PasteGuardOptions {
  /** The largest paste or drop, in bytes of the change it makes (see maxChangeBytes). */
  maxBytes: number;
  /** Shows the refusal; the text says the size and the limit. */
  onRefused: (message: string) => void;
}

/**
 * The largest single paste or drop, from the server's message cap: half of it, so the change
 * with its Yjs encoding (ids, formatting, block attributes) stays well inside one message, and the
 * browser never takes in a change that takes minutes to lay out and store.
 */
export function maxChangeBytes(maxMessageBytes: number): number {
  return Math.floor(maxMessageBytes / 2);
}

const utf8 = new TextEncoder();

/** What a pasted slice costs to send: its text as UTF-8 and each node's attributes. */
export function sliceBytes(slice: Slice): number {
  let bytes = 0;
  slice.content.descendants((node) => {
    if (node.isText) bytes += utf8.encode(node.text!).byteLength;
    else bytes += 8 + (Object.keys(node.attrs).length > 0 ? utf8.encode(JSON.stringify(node.attrs)).byteLength : 0);
    return true;
  });
  return bytes;
}

export function refusalMessage(bytes: number, maxBytes: number, what: "paste" | "drop"): string {
  return what === "paste"
    ? `This paste is ${formatBytes(bytes)}; a single change may be at most ${formatBytes(maxBytes)}. Paste it in parts.`
    : `This drop is ${formatBytes(bytes)}; a single change may be at most ${formatBytes(maxBytes)}. Add it in parts.`;
}

/** The plain text a paste or drop carries, measured before ProseMirror parses anything. */
function plainBytes(data: DataTransfer | null): number {
  const text = data?.getData("text/plain") ?? "";
  return text.length === 0 ? 0 : utf8.encode(text).byteLength;
}

/**
 * Refuses a paste or drop larger than the server would take in one change, before it enters the
 * document: once in the Y.Doc it is in this device's IndexedDB copy too, and a change the server
 * refuses comes back on every reload. Checked twice: on the raw clipboard text (so a huge paste is
 * never parsed), then on the parsed slice (HTML from a word processor parses to much less).
 */
export const PasteGuard = Extension.create<PasteGuardOptions>({
  name: "pasteGuard",

  addOptions() {
    return { maxBytes: Number.POSITIVE_INFINITY, onRefused: () => {} };
  },

  addProseMirrorPlugins() {
    const { maxBytes, onRefused } = this.options;
    const refuse = (bytes: number, what: "paste" | "drop", event: Event) => {
      event.preventDefault();
      onRefused(refusalMessage(bytes, maxBytes, what));
      return true;
    };
    return [
      new Plugin({
        key: new PluginKey("pasteGuard"),
        props: {
          handleDOMEvents: {
            paste: (_view, event) => {
              const bytes = plainBytes(event.clipboardData);
              return bytes > maxBytes ? refuse(bytes, "paste", event) : false;
            },
            drop: (_view, event) => {
              const bytes = plainBytes(event.dataTransfer);
              return bytes > maxBytes ? refuse(bytes, "drop", event) : false;
            },
          },
          handlePaste: (_view, event, slice) => {
            const bytes = sliceBytes(slice);
            return bytes > maxBytes ? refuse(bytes, "paste", event) : false;
          },
          handleDrop: (_view, event, slice, moved) => {
            // Moving text within the document adds nothing.
            if (moved) return false;
            const bytes = sliceBytes(slice);
            return bytes > maxBytes ? refuse(bytes, "drop", event) : false;
          },
        },
      }),
    ];
  },
});
