import crypto from "node:crypto";
import type { PMNode } from "./model";

/** The briefing fields a final version's hash covers besides the body. */
export interface HashedFields {
  title: string;
  summitName: string;
  city: string;
  startDate: string;
  endDate: string;
  classification: string;
}

/** JSON with object keys sorted at every level, so equal content always hashes equally. */
export function canonicalJSON(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJSON).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJSON(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * sha256 (hex) of the canonical ProseMirror JSON of the body plus the briefing fields: printed in a
 * final export's footer so a paper copy can be matched to the stored version it came from.
 */
export function contentHash(doc: PMNode, fields: HashedFields): string {
  const { title, summitName, city, startDate, endDate, classification } = fields;
  const payload = canonicalJSON({ briefing: { title, summitName, city, startDate, endDate, classification }, doc });
  return crypto.createHash("sha256").update(payload).digest("hex");
}
