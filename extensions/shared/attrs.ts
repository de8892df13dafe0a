/**
 * Validation and sanitising of block attributes. Attributes arrive from pasted HTML, from other
 * clients through the Y.Doc and from forms, so every reader runs them through these helpers: the
 * result is always a plain, bounded string that is safe to store, render and project.
 * Isomorphic: no DOM, no Node built-ins.
 */

/** Length caps for attribute values, in UTF-16 code units. */
export const ATTR_LIMITS = {
  blockId: 64,
  short: 200, // speaker, role, owner, label, value, country name
  unit: 40,
  title: 300,
  source: 1000,
  translation: 4000,
  lang: 35,
} as const;

/** A stable block id: letters, digits, `_` and `-`, at most 64 characters. */
export const BLOCK_ID_REGEX = /^[A-Za-z0-9_-]{1,64}$/;
/** ISO 8601 calendar date, `YYYY-MM-DD`. */
export const ISO_DATE_REGEX = /^(\d{4})-(\d{2})-(\d{2})$/;
/** ISO 3166-1 alpha-2 country code (upper case). */
export const COUNTRY_CODE_REGEX = /^[A-Z]{2}$/;
/**
 * The shape of a BCP 47 language tag: a 2–3 letter primary language (or 4–8 for registered ones)
 * followed by subtags of 1–8 letters or digits (`en`, `tr`, `kk-Cyrl`, `kk-Latn-KZ`, `zh-Hant-TW`).
 */
export const BCP47_REGEX = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

// C0/C1 control characters except tab and newline, plus bidi overrides and isolates that could
// make an attribute display differently from what is stored.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Any value → a trimmed single-line string without control characters, at most `max` long. */
export function cleanText(value: unknown, max: number = ATTR_LIMITS.short): string {
  if (value === null || value === undefined) return "";
  const s = typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
  return s.replace(UNSAFE_CHARS, "").replace(/\s+/g, " ").trim().slice(0, max);
}

/** Like `cleanText` but keeps line breaks (translations may have several lines). */
export function cleanMultilineText(value: unknown, max: number): string {
  if (typeof value !== "string") return cleanText(value, max);
  return value
    .replace(UNSAFE_CHARS, "")
    .replace(/\r\n?/g, "\n")
    .replace(/[^\S\n]+/g, " ")
    .replace(/\n{3,}/g, "\n\n")
    .trim()
    .slice(0, max);
}

/** True for a real calendar date written `YYYY-MM-DD` (rejects 2026-02-30). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const m = ISO_DATE_REGEX.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** A valid ISO date, or "" (the attribute's "unknown" value). */
export function sanitizeIsoDate(value: unknown): string {
  const s = typeof value === "string" ? value.trim() : "";
  return isIsoDate(s) ? s : "";
}

export function isCountryCode(value: unknown): value is string {
  return typeof value === "string" && COUNTRY_CODE_REGEX.test(value);
}

/** An ISO 3166-1 alpha-2 code in upper case, or "". */
export function sanitizeCountryCode(value: unknown): string {
  const s = typeof value === "string" ? value.trim().toUpperCase() : "";
  return isCountryCode(s) ? s : "";
}

export function isLanguageTag(value: unknown): value is string {
  return typeof value === "string" && value.length <= ATTR_LIMITS.lang && BCP47_REGEX.test(value);
}

/** A BCP 47-shaped tag with canonical casing (`kk-cyrl-kz` → `kk-Cyrl-KZ`), or `fallback`. */
export function sanitizeLanguageTag(value: unknown, fallback = "en"): string {
  const s = typeof value === "string" ? value.trim().replace(/_/g, "-") : "";
  if (!isLanguageTag(s)) return fallback;
  return s
    .split("-")
    .map((part, i) => {
      if (i === 0) return part.toLowerCase();
      if (part.length === 4 && /^[A-Za-z]+$/.test(part)) return part[0].toUpperCase() + part.slice(1).toLowerCase();
      if (part.length === 2 && /^[A-Za-z]+$/.test(part)) return part.toUpperCase();
      return part.toLowerCase();
    })
    .join("-");
}

/** `value` when it is one of `allowed`, else `fallback`. */
export function sanitizeEnum<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === "string" && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

export function isBlockId(value: unknown): value is string {
  return typeof value === "string" && BLOCK_ID_REGEX.test(value);
}

/** A well-formed block id, or "" so that the block-id plugin assigns a fresh one. */
export function sanitizeBlockId(value: unknown): string {
  const s = typeof value === "string" ? value.trim() : "";
  return isBlockId(s) ? s : "";
}

/**
 * The link target for a source, only when it is an absolute http(s) URL; anything else
 * (a citation, `javascript:`, `data:`) is shown as text and never becomes a link.
 */
export function sourceHref(source: string): string | null {
  if (!/^https?:\/\//i.test(source)) return null;
  try {
    const url = new URL(source);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

const ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/** A fresh random block id such as `b-k3j9x0q2m7za`. */
export function newBlockId(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  let id = "b-";
  for (const b of bytes) id += ID_ALPHABET[b % ID_ALPHABET.length];
  return id;
}

/**
 * A block id derived from `seed`: every client that sees the same document derives the same id,
 * so concurrent repairs of a remote change write identical values instead of competing ones.
 */
export function derivedBlockId(seed: string): string {
  // Two 32-bit FNV-1a hashes with different offsets → 12 base-36 characters.
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < seed.length; i++) {
    const c = seed.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x01000193 + 2) >>> 0;
  }
  return `b-${h1.toString(36).padStart(7, "0").slice(0, 6)}${h2.toString(36).padStart(7, "0").slice(0, 6)}`;
}

/** Reads a `data-*` attribute from a parsed element (the only DOM use, at parse time). */
export function dataAttr(element: { getAttribute(name: string): string | null }, name: string): string | null {
  return element.getAttribute(`data-${name}`);
}
