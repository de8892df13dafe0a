/**
 * The Y.Doc field (XmlFragment) that holds the briefing body; the Collaboration extension's default.
 * In a module of its own so that code reading documents without the editor schema (the history
 * threads) does not load Tiptap for one string.
 */
export const COLLAB_FIELD = "default";
