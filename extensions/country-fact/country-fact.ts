import { mergeAttributes, Node } from "@tiptap/core";
import type { DOMOutputSpec } from "@tiptap/pm/model";
import { ATTR_LIMITS, newBlockId } from "../shared/attrs";
import { sanitizeAll, TEXT, tiptapAttributes, validateAll, type AttrRules } from "../shared/attribute-spec";
import { countryFlag, countryName } from "./countries";

/** Attributes of a `countryFact` block. All strings; "" means "not set". */
export type CountryFactAttrs = {
  /** Stable id of the block (projection key, link anchor `#block-<blockId>`). */
  blockId: string;
  /** ISO 3166-1 alpha-2, e.g. "KZ". */
  country: string;
  /** Display name; when "" the name is derived from `country`. */
  countryName: string;
  label: string;
  value: string;
  unit: string;
  /** "YYYY-MM-DD": when the value was true. */
  asOf: string;
  /** URL or citation. */
  source: string;
  /** Id of the team library fact this block was inserted from. @default "" */
  libraryFactId: string;
};

export const COUNTRY_FACT_ATTR_RULES: AttrRules<CountryFactAttrs> = {
  blockId: { kind: "id", label: "Block id" },
  country: { kind: "country", label: "Country" },
  countryName: TEXT("Country name"),
  label: TEXT("Label"),
  value: TEXT("Value"),
  unit: TEXT("Unit", ATTR_LIMITS.unit),
  asOf: { kind: "date", label: "As of" },
  source: TEXT("Source", ATTR_LIMITS.source),
  libraryFactId: { kind: "id", label: "Library fact" },
};

/** Every country-fact attribute with a safe value (defaults for missing or invalid ones). */
export const sanitizeCountryFactAttrs = (input?: Partial<Record<keyof CountryFactAttrs, unknown>> | null): CountryFactAttrs =>
  sanitizeAll(COUNTRY_FACT_ATTR_RULES, input);
/** Field errors for the given country-fact attributes; `{}` when valid. */
export const validateCountryFactAttrs = (input: Partial<Record<keyof CountryFactAttrs, unknown>>) =>
  validateAll(COUNTRY_FACT_ATTR_RULES, input);

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

/** "Value unit" as shown ("90 million", "member", "12 %"). */
export function formatFactValue(attrs: Pick<CountryFactAttrs, "value" | "unit">): string {
  return [attrs.value, attrs.unit].filter(Boolean).join(" ");
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
