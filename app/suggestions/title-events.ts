/**
 * How an agenda topic's header asks for a title suggestion. The title is a node attribute edited in
 * the topic's own input, outside ProseMirror's text, so the topic view dispatches a DOM event that
 * bubbles to the editor element, where the suggestions layer (which holds the API) listens:
 * without `title` it opens the "Suggest title" box in the margin; with `title` (typed into the
 * input in Suggesting mode) it posts that title as a suggestion at once.
 */
export const SUGGEST_TITLE_EVENT = "suggest-topic-title";

export interface SuggestTitleDetail {
  /** The ProseMirror position before the topic node. */
  pos: number;
  title?: string;
}

export function requestTitleSuggestion(from: Element, detail: SuggestTitleDetail): void {
  from.dispatchEvent(new CustomEvent<SuggestTitleDetail>(SUGGEST_TITLE_EVENT, { detail, bubbles: true }));
}
