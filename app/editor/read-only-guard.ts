import { Extension } from "@tiptap/core";
import { isChangeOrigin } from "@tiptap/extension-collaboration";
import { Plugin, PluginKey } from "@tiptap/pm/state";

/**
 * While the editor is read-only, the document changes only by what arrives from the Y.Doc (the
 * server's changes). Anything else would be written into this device's copy and sent, refused by
 * the server, and leave a view nobody else has: plugins that normalise the document may do it
 * even when nobody types (block ids are repaired after remote changes; the trailing paragraph
 * waits for a local change, trailing-paragraph.ts). Editors who may write
 * make those changes for everyone, and a read-only view receives them like any other.
 */
export const ReadOnlyGuard = Extension.create({
  name: "readOnlyGuard",

  addProseMirrorPlugins() {
    const editor = this.editor;
    return [
      new Plugin({
        key: new PluginKey("readOnlyGuard"),
        filterTransaction: (tr) => !tr.docChanged || editor.isEditable || isChangeOrigin(tr),
      }),
    ];
  },
});
