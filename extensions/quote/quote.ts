import { mergeAttributes, Node } from "@tiptap/core";
import type { DOMOutputSpec } from "@tiptap/pm/model";
import { newBlockId } from "../shared/attrs";
import { tiptapAttributes } from "../shared/attribute-spec";
import { QUOTE_ATTR_RULES, quoteAttribution, sanitizeQuoteAttrs, type QuoteAttrs } from "./quote-attrs";

export * from "./quote-attrs";

export interface QuoteOptions {
  /** Extra HTML attributes on the rendered `<figure>`. @default {} */
  HTMLAttributes: Record<string, unknown>;
}

export type InsertQuoteInput = Partial<QuoteAttrs> & {
  /** The quoted words; the block starts empty when omitted. */
  text?: string;
};

declare module "@tiptap/core" {
  interface Commands<ReturnType> {
    quote: {
      /** Inserts a quote block at the selection (a fresh blockId unless one is given). */
      insertQuote: (attrs?: InsertQuoteInput) => ReturnType;
    };
  }
}

/**
 * A quotation: the quoted words (inline content, tagged with their language) and who said them,
 * where and when. Frozen node name `quote`; see docs/decisions/0201.
 */
export const Quote = Node.create<QuoteOptions>({
  name: "quote",
  group: "block",
  content: "inline*",
  defining: true,
  isolating: true,

  addOptions() {
    return { HTMLAttributes: {} };
  },

  addAttributes() {
    return tiptapAttributes(QUOTE_ATTR_RULES);
  },

  parseHTML() {
    return [{ tag: 'figure[data-type="quote"]', contentElement: "blockquote" }];
  },

  renderHTML({ node, HTMLAttributes }) {
    const attrs = node.attrs as QuoteAttrs;
    const caption: DOMOutputSpec[] = [];
    const attribution = quoteAttribution(attrs);
    if (attribution) caption.push(["span", { class: "quote-attribution" }, attribution]);
    if (attrs.source) caption.push(["cite", { class: "quote-source" }, attrs.source]);
    if (attrs.translation) caption.push(["span", { class: "quote-translation" }, attrs.translation]);
    return [
      "figure",
      mergeAttributes(this.options.HTMLAttributes, HTMLAttributes, {
        "data-type": "quote",
        id: attrs.blockId ? `block-${attrs.blockId}` : undefined,
        class: "briefing-quote",
      }),
      ["blockquote", { lang: attrs.lang }, 0],
      ["figcaption", { contenteditable: "false" }, ...caption],
    ];
  },

  addCommands() {
    return {
      insertQuote:
        (input = {}) =>
        ({ commands }) => {
          const { text, ...rest } = input;
          const attrs = sanitizeQuoteAttrs(rest);
          if (!attrs.blockId) attrs.blockId = newBlockId();
          const words = typeof text === "string" ? text.replace(/\s+/g, " ").trim() : "";
          return commands.insertContent({
            type: this.name,
            attrs,
            content: words ? [{ type: "text", text: words }] : [],
          });
        },
    };
  },
});
