import type { AnyExtension } from "@tiptap/core";
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { briefingExtensions, COLLAB_FIELD } from "../../extensions";
import type { CollabSession } from "./collab-provider";
import { BlockKeys } from "./block-keys";
import { withNodeViews } from "./node-views";
import { OfficePaste } from "./office-paste";
import { PasteGuard, type PasteGuardOptions } from "./paste-guard";
import { PortionMarkEditing } from "./portion-marks";
import { Placeholders } from "./placeholder-plugin";
import { ReadOnlyGuard } from "./read-only-guard";
import { QuoteClipboard } from "./quote-clipboard";
import { SearchHit } from "./search-hit";
import { SinceReadHighlight } from "./since-read-highlight";
import { TrailingParagraph } from "./trailing-paragraph";
import { SlashMenu } from "./slash-menu-plugin";
import { CommentHighlights } from "../comments/comment-highlights";
import { CommentMoves } from "../comments/comment-moves";
import { SuggestingMode } from "../suggestions/suggesting-mode";
import { SuggestionMarks } from "../suggestions/suggestion-marks";
import { SuggestionMoves } from "../suggestions/suggestion-moves";

/** The caret of another user: a thin coloured bar with a small name tag (styles in editor.css). */
export function renderCaret(user: Record<string, unknown>, colorOf: (userId: string) => string | undefined = () => undefined): HTMLElement {
  // The user's own colour from the team list, so a person looks the same in everyone's view; the
  // awareness colour only for someone not in the list (yet).
  const known = typeof user.id === "string" ? colorOf(user.id) : undefined;
  const color = known ?? (typeof user.color === "string" ? user.color : "#6b7280");
  const caret = document.createElement("span");
  caret.className = "collab-caret";
  caret.style.borderColor = color;
  const label = document.createElement("span");
  label.className = "collab-caret-label";
  label.style.backgroundColor = color;
  label.textContent = typeof user.name === "string" ? user.name : "Someone";
  caret.append(document.createTextNode("\u2060"), label, document.createTextNode("\u2060"));
  return caret;
}

const PLACEHOLDERS: Record<string, string> = {
  paragraph: "Type “/” for headings, lists, quotes, agenda topics and facts…",
  heading: "Heading",
};

/**
 * The shared schema (extensions/) with React node views, bound to one collaboration session.
 * Content comes only from the Y.Doc: nothing here sets initial content.
 */
export function buildEditorExtensions(
  session: CollabSession,
  user: { name: string; color: string },
  colorOf: (userId: string) => string | undefined = () => undefined,
  pasteGuard?: PasteGuardOptions,
): AnyExtension[] {
  return [
    ...withNodeViews(briefingExtensions),
    Collaboration.configure({ document: session.doc, field: COLLAB_FIELD }),
    ReadOnlyGuard,
    TrailingParagraph,
    // The server overwrites `user` in awareness from the session; this is the local first guess.
    CollaborationCaret.configure({ provider: session.provider, user: { name: user.name, color: user.color }, render: (u) => renderCaret(u, colorOf) }),
    Placeholders.configure({ text: PLACEHOLDERS }),
    SlashMenu,
    BlockKeys,
    PortionMarkEditing,
    QuoteClipboard,
    // The size check first: a paste over the limit is refused before anything parses it.
    ...(pasteGuard ? [PasteGuard.configure(pasteGuard)] : []),
    OfficePaste,
    CommentHighlights,
    CommentMoves,
    SuggestionMarks,
    SuggestionMoves,
    SuggestingMode,
    SearchHit,
    SinceReadHighlight,
  ];
}
