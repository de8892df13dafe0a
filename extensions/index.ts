import { getSchema, type AnyExtension } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";

/** The Y.Doc field (XmlFragment) that holds the briefing body; the Collaboration extension's default. */
export const COLLAB_FIELD = "default";

/**
 * Bumped when the schema changes incompatibly; clients of another version are asked to reload.
 * Node names are stored in every Y.Doc: renaming one needs a migration and an ADR.
 */
export const EDITOR_SCHEMA_VERSION = 1;

/** The one schema definition, shared by the browser editor, the server (projection, PDF) and tests. */
export const briefingExtensions: AnyExtension[] = [
  StarterKit.configure({
    // Collaboration brings its own per-user undo.
    undoRedo: false,
    link: { openOnClick: false, autolink: true, protocols: ["http", "https", "mailto"] },
  }),
];

let cachedSchema: ReturnType<typeof getSchema> | undefined;

export function getBriefingSchema() {
  return (cachedSchema ??= getSchema(briefingExtensions));
}
