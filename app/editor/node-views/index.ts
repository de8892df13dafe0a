import type { AnyExtension, Node } from "@tiptap/core";
import { ReactNodeViewRenderer, type ReactNodeViewProps } from "@tiptap/react";
import type { ComponentType } from "react";
import { AgendaTopicView } from "./agenda-topic-view";
import { CountryFactView } from "./country-fact-view";
import { QuoteView } from "./quote-view";

const VIEWS: Record<string, ComponentType<ReactNodeViewProps>> = {
  quote: QuoteView,
  agendaTopic: AgendaTopicView,
  countryFact: CountryFactView,
};

/**
 * Attaches React node views to the shared extensions (see extensions/). The schema stays the one
 * defined there; a node view only changes how a block is edited in the browser.
 */
export function withNodeViews(extensions: AnyExtension[]): AnyExtension[] {
  return extensions.map((ext) => {
    const view = VIEWS[ext.name];
    if (!view || ext.type !== "node") return ext;
    return (ext as Node).extend({ addNodeView: () => ReactNodeViewRenderer(view) });
  });
}
