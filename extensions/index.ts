import { getSchema, type AnyExtension } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import { AgendaTopic } from "./agenda-topic/agenda-topic";
import { BlockId } from "./block-id/block-id";
import { CountryFact } from "./country-fact/country-fact";
import { BriefingDocument } from "./document/document";
import { PortionMark } from "./portion-mark/portion-mark";
import { Quote } from "./quote/quote";

export * from "./agenda-topic/agenda-topic";
export * from "./agenda-topic/numbering";
export * from "./block-id/block-id";
export * from "./country-fact/countries";
export * from "./country-fact/country-fact";
export * from "./country-fact/stale";
export * from "./document/document";
export * from "./portion-mark/levels";
export * from "./portion-mark/portion-mark";
export * from "./quote/quote";
export * from "./shared/attrs";
export { sanitizeWith, validateWith, type AttrRule, type AttrRules } from "./shared/attribute-spec";

export { COLLAB_FIELD } from "./collab-field";

/**
 * Bumped when the schema changes incompatibly; clients of another version are asked to reload.
 * Node names are stored in every Y.Doc: renaming one needs a migration and an ADR (docs/decisions/0201).
 * 2: portion marks; an older tab would strip the attribute from every block it rewrites (ADR 0406).
 */
export const EDITOR_SCHEMA_VERSION = 2;

/** The one schema definition, shared by the browser editor, the server (projection, PDF) and tests. */
export const briefingExtensions: AnyExtension[] = [
  StarterKit.configure({
    // Replaced by BriefingDocument, which also admits agenda topics.
    document: false,
    // Collaboration brings its own per-user undo.
    undoRedo: false,
    // The browser editor adds its own, only with a local change (app/editor/trailing-paragraph.ts).
    trailingNode: false,
    link: { openOnClick: false, autolink: true },
  }),
  BriefingDocument,
  Quote,
  AgendaTopic,
  CountryFact,
  BlockId,
  PortionMark,
];

let cachedSchema: ReturnType<typeof getSchema> | undefined;

export function getBriefingSchema() {
  return (cachedSchema ??= getSchema(briefingExtensions));
}
