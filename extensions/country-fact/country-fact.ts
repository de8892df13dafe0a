import { mergeAttributes, Node } from "@tiptap/core";
import type { DOMOutputSpec } from "@tiptap/pm/model";
import { newBlockId } from "../shared/attrs";
import { tiptapAttributes } from "../shared/attribute-spec";
import { COUNTRY_FACT_ATTR_RULES, formatFactValue, sanitizeCountryFactAttrs, type CountryFactAttrs } from "./country-fact-attrs";
import { countryFlag, countryName } from "./countries";

export * from "./country-fact-attrs";

export interface CountryFactOptions {
  /** Extra HTML attributes on the rendered element. @default {} */
  HTMLAttributes: Record<string, unknown>;
}

declare module "@tiptap/core" {
  interface Commands<ReturnType> {
    countryFact: {
      /** Inserts a country fact at the selection (a fresh blockId unless one is given). */
      insertCountryFact: (attrs?: Partial<CountryFactAttrs>) => ReturnType;
    };
  }
}

/**
 * A single fact about a country (label, value, unit, as-of date, source), possibly copied from the
 * team's fact library. An atom: edited through its attributes, not as text. Frozen node name
 * `countryFact`; see docs/decisions/0201.
 */
export const CountryFact = Node.create<CountryFactOptions>({
  name: "countryFact",
  group: "block",
  atom: true,
  selectable: true,
  draggable: true,

  addOptions() {
    return { HTMLAttributes: {} };
  },

  addAttributes() {
    return tiptapAttributes(COUNTRY_FACT_ATTR_RULES);
  },

  parseHTML() {
    return [{ tag: 'div[data-type="country-fact"]' }];
  },

  renderHTML({ node, HTMLAttributes }) {
    const attrs = node.attrs as CountryFactAttrs;
    const name = attrs.countryName || countryName(attrs.country);
    const flag = countryFlag(attrs.country);
    const parts: DOMOutputSpec[] = [
      ["span", { class: "country-fact-country" }, [flag, name].filter(Boolean).join(" ")],
      ["span", { class: "country-fact-label" }, attrs.label],
      ["span", { class: "country-fact-value" }, formatFactValue(attrs)],
    ];
    if (attrs.asOf) parts.push(["time", { class: "country-fact-as-of", datetime: attrs.asOf }, `as of ${attrs.asOf}`]);
    if (attrs.source) parts.push(["cite", { class: "country-fact-source" }, attrs.source]);
    return [
      "div",
      mergeAttributes(this.options.HTMLAttributes, HTMLAttributes, {
        "data-type": "country-fact",
        id: attrs.blockId ? `block-${attrs.blockId}` : undefined,
        class: "briefing-country-fact",
      }),
      ...parts,
    ];
  },

  renderText({ node }) {
    const attrs = node.attrs as CountryFactAttrs;
    const name = attrs.countryName || countryName(attrs.country);
    return `${name}: ${attrs.label}: ${formatFactValue(attrs)}${attrs.asOf ? ` (as of ${attrs.asOf})` : ""}`;
  },

  addCommands() {
    return {
      insertCountryFact:
        (input = {}) =>
        ({ commands }) => {
          const attrs = sanitizeCountryFactAttrs(input);
          if (!attrs.blockId) attrs.blockId = newBlockId();
          if (!attrs.countryName) attrs.countryName = countryName(attrs.country);
          return commands.insertContent({ type: this.name, attrs });
        },
    };
  },
});
