/**
 * The one rule for links that arrive from outside (pasted HTML, imported Word documents): web and
 * mail addresses are kept, normalised; anything else (a footnote's "#footnote-1", javascript:,
 * file:) is dropped and the link keeps just its text. Isomorphic: no DOM, no Node built-ins.
 */
export function safeHref(href: string | null | undefined): string | null {
  if (!href) return null;
  try {
    const url = new URL(href);
    return ["http:", "https:", "mailto:"].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}
