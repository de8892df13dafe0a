import { mergeAttributes, Node } from "@tiptap/core";
import type { DOMOutputSpec } from "@tiptap/pm/model";
import { ATTR_LIMITS, newBlockId } from "../shared/attrs";
import { sanitizeAll, TEXT, tiptapAttributes, validateAll, type AttrRules } from "../shared/attribute-spec";
import { countryName } from "../country-fact/countries";

/** Attributes of a `quote` block. All strings; "" means "not set". */
export type QuoteAttrs = {
  /** Stable id of the block (projection key, link anchor `#block-<blockId>`). */
  blockId: string;
  speaker: string;
  /** Role or title, e.g. "Foreign Minister of Kazakhstan". */
  speakerRole: string;
  /** ISO 3166-1 alpha-2, e.g. "KZ", or "". */
  country: string;
  /** "YYYY-MM-DD" or "". */
  date: string;
  /** URL or citation. */
  source: string;
  /** BCP 47 language of the quoted words. @default "en" */
  lang: string;
  /** Optional translation of the words. @default "" */
  translation: string;
};

export const QUOTE_ATTR_RULES: AttrRules<QuoteAttrs> = {
  blockId: { kind: "id", label: "Block id" },
  speaker: TEXT("Speaker"),
  speakerRole: TEXT("Role"),
  country: { kind: "country", label: "Country" },
  date: { kind: "date", label: "Date" },
  source: TEXT("Source", ATTR_LIMITS.source),
  lang: { kind: "lang", fallback: "en", label: "Language" },
  translation: TEXT("Translation", ATTR_LIMITS.translation, true),
};

/** Every quote attribute with a safe value (defaults for missing or invalid ones). */
export const sanitizeQuoteAttrs = (input?: Partial<Record<keyof QuoteAttrs, unknown>> | null): QuoteAttrs =>
  sanitizeAll(QUOTE_ATTR_RULES, input);
/** Field errors for the given quote attributes; `{}` when valid. */
export const validateQuoteAttrs = (input: Partial<Record<keyof QuoteAttrs, unknown>>) => validateAll(QUOTE_ATTR_RULES, input);

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

/** The `— Speaker, Role (Country), date` line under the quoted words. */
export function quoteAttribution(attrs: Pick<QuoteAttrs, "speaker" | "speakerRole" | "country" | "date">): string {
  const who = [attrs.speaker, attrs.speakerRole].filter(Boolean).join(", ");
  const where = attrs.country ? ` (${countryName(attrs.country)})` : "";
  const when = attrs.date ? `, ${attrs.date}` : "";
  return who || where || when ? `— ${who}${where}${when}` : "";
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
