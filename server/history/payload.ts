import type { Comparison } from "./compare";
import { comparisonHtml, type Authors } from "./compare-html";

/**
 * The final bytes a history route sends (docs/decisions/0116), built in a history thread: the
 * event loop only copies them into the response, it never walks, clones or serialises the
 * comparison or the version itself (not even as one large string in a page's loader data: that
 * alone is a JSON round trip and an HTML escape of megabytes). Each payload is UTF-8 (JSON or
 * HTML) in an ArrayBuffer of its own, so that postMessage can transfer it instead of copying it.
 */
export type Payload = ArrayBuffer;

/** What a compare job renders: the comparison as JSON, or as the HTML the compare page inserts. */
export type CompareFormat = "json" | "html";

export function comparisonPayload(comparison: Comparison, format: CompareFormat, authors: Authors, a: number, b: number): Payload {
  if (format === "json") return jsonPayload(comparison);
  return utf8(comparisonHtml(comparison, authors, a, b));
}

function jsonPayload(value: unknown): Payload {
  return utf8(JSON.stringify(value));
}

export function utf8(text: string): Payload {
  const bytes = new TextEncoder().encode(text);
  // A view of a larger or shared buffer cannot be transferred alone.
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
}
