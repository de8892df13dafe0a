import type { Attributes } from "@tiptap/core";
import {
  ATTR_LIMITS,
  cleanMultilineText,
  cleanText,
  dataAttr,
  isBlockId,
  isCountryCode,
  isIsoDate,
  isLanguageTag,
  sanitizeBlockId,
  sanitizeCountryCode,
  sanitizeEnum,
  sanitizeIsoDate,
  sanitizeLanguageTag,
} from "./attrs";

/**
 * One rule per attribute drives everything about it: the Tiptap attribute (default, parseHTML,
 * renderHTML), sanitising of untrusted input, and validation messages for forms.
 */
export type AttrRule =
  | { kind: "text"; max: number; multiline?: boolean; label: string }
  | { kind: "date"; label: string }
  | { kind: "country"; label: string }
  | { kind: "lang"; fallback: string; label: string }
  | { kind: "enum"; values: readonly string[]; fallback: string; label: string }
  | { kind: "id"; label: string };

export type AttrRules<T> = { [K in keyof T]: AttrRule };

function fallbackOf(rule: AttrRule): string {
  return rule.kind === "lang" || rule.kind === "enum" ? rule.fallback : "";
}

/** Untrusted value → the attribute's safe value (invalid becomes the default). */
export function sanitizeWith(rule: AttrRule, value: unknown): string {
  switch (rule.kind) {
    case "text":
      return rule.multiline ? cleanMultilineText(value, rule.max) : cleanText(value, rule.max);
    case "date":
      return sanitizeIsoDate(value);
    case "country":
      return sanitizeCountryCode(value);
    case "lang":
      return sanitizeLanguageTag(value, rule.fallback);
    case "enum":
      return sanitizeEnum(value, rule.values, rule.fallback);
    case "id":
      return sanitizeBlockId(value);
  }
}

/** A human message when `value` is not acceptable as given, else null. Empty means "not set". */
export function validateWith(rule: AttrRule, value: unknown): string | null {
  if (value === undefined || value === null || value === "") {
    return rule.kind === "enum" ? `${rule.label} must be one of ${rule.values.join(", ")}.` : null;
  }
  if (typeof value !== "string") return `${rule.label} must be text.`;
  const v = value.trim();
  switch (rule.kind) {
    case "text":
      return v.length > rule.max ? `${rule.label} must be at most ${rule.max} characters.` : null;
    case "date":
      return isIsoDate(v) ? null : `${rule.label} must be a date written YYYY-MM-DD.`;
    case "country":
      return isCountryCode(v.toUpperCase()) ? null : `${rule.label} must be a two-letter ISO country code such as KZ.`;
    case "lang":
      return isLanguageTag(v) ? null : `${rule.label} must be a language tag such as en, tr or kk.`;
    case "enum":
      return rule.values.includes(v) ? null : `${rule.label} must be one of ${rule.values.join(", ")}.`;
    case "id":
      return isBlockId(v) ? null : `${rule.label} is not a valid id.`;
  }
}

/** Every attribute with its safe value; missing ones get their defaults. */
export function sanitizeAll<T extends Record<string, string>>(
  rules: AttrRules<T>,
  input: Partial<Record<keyof T, unknown>> | null | undefined,
): T {
  const out = {} as Record<keyof T, string>;
  for (const key of Object.keys(rules) as (keyof T)[]) {
    const value = input?.[key];
    out[key] = value === undefined ? fallbackOf(rules[key]) : sanitizeWith(rules[key], value);
  }
  return out as T;
}

/** Only the attributes present in `input`, sanitised (for partial updates); unknown keys are dropped. */
export function sanitizeSome<T extends Record<string, string>>(
  rules: AttrRules<T>,
  input: Partial<Record<keyof T, unknown>> | null | undefined,
): Partial<T> {
  const out: Partial<Record<keyof T, string>> = {};
  for (const key of Object.keys(rules) as (keyof T)[]) {
    if (input?.[key] !== undefined) out[key] = sanitizeWith(rules[key], input[key]);
  }
  return out as Partial<T>;
}

/** Field errors for the attributes present in `input`; `{}` means valid. */
export function validateAll<T extends Record<string, string>>(
  rules: AttrRules<T>,
  input: Partial<Record<keyof T, unknown>>,
): Partial<Record<keyof T, string>> {
  const errors: Partial<Record<keyof T, string>> = {};
  for (const key of Object.keys(rules) as (keyof T)[]) {
    if (!(key in input)) continue;
    const message = validateWith(rules[key], input[key]);
    if (message) errors[key] = message;
  }
  return errors;
}

/** `speakerRole` → `speaker-role`: the `data-*` name an attribute is written to in HTML. */
export function dataName(attribute: string): string {
  return attribute.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * Tiptap attribute definitions from the rules: each is stored as `data-<kebab-name>`, sanitised when
 * parsed (pasted HTML cannot smuggle markup or absurd values in) and always rendered, so a block's
 * HTML is complete on its own and parses back to the same attributes. `blockId` is not kept on
 * split, so the second half of a split block gets a fresh id.
 */
export function tiptapAttributes<T>(rules: AttrRules<T>): Attributes {
  const attributes: Attributes = {};
  for (const name of Object.keys(rules) as (keyof T & string)[]) {
    const rule = rules[name];
    const html = dataName(name);
    const fallback = fallbackOf(rule);
    attributes[name] = {
      default: fallback,
      keepOnSplit: name !== "blockId",
      parseHTML: (element) => {
        const raw = dataAttr(element, html);
        return raw === null ? fallback : sanitizeWith(rule, raw);
      },
      renderHTML: (attrs) => ({ [`data-${html}`]: String(attrs[name] ?? fallback) }),
    };
  }
  return attributes;
}

export const TEXT = (label: string, max: number = ATTR_LIMITS.short, multiline = false): AttrRule => ({
  kind: "text",
  label,
  max,
  multiline,
});
