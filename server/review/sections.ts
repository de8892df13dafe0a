import crypto from "node:crypto";
import { canonicalJSON } from "../export/content-hash";
import type { PMNode } from "../export/model";

/** The section of a briefing that covers everything outside its agenda topics. */
export const WHOLE_BRIEF = "brief";

export interface TopicSection {
  blockId: string;
  /** 1-based, in document order. */
  number: number;
  title: string;
  hash: string;
}

export interface SectionHashes {
  /** Hash of the body with every agenda topic reduced to its block id (their order stays in it). */
  brief: string;
  topics: TopicSection[];
}

const sha256 = (value: unknown) => crypto.createHash("sha256").update(canonicalJSON(value)).digest("hex");

/**
 * What an approval is of, computed on the server from the stored document: each agenda topic's
 * node (attributes and content), and the rest. An edit inside a topic changes only that topic's
 * hash; an edit anywhere else, or moving topics, changes the whole-brief hash.
 */
export function sectionHashes(doc: PMNode): SectionHashes {
  const topics: TopicSection[] = [];
  const strip = (node: PMNode): PMNode => {
    if (node.type === "agendaTopic") {
      const attrs = (node.attrs ?? {}) as Record<string, unknown>;
      const blockId = typeof attrs.blockId === "string" ? attrs.blockId : "";
      if (blockId && !topics.some((t) => t.blockId === blockId)) {
        topics.push({ blockId, number: topics.length + 1, title: typeof attrs.title === "string" ? attrs.title : "", hash: sha256(node) });
      }
      return { type: "agendaTopic", attrs: { blockId } };
    }
    return node.content ? { ...node, content: node.content.map(strip) } : node;
  };
  const rest = strip(withoutTrailingEmptyParagraphs(doc));
  return { brief: sha256(rest), topics };
}

/**
 * The empty paragraph the editor keeps after a document ending in a topic, quote or fact is room
 * to type, not content: it appears with someone's first change near the end (or twice, when two
 * people make one at once), and must not reset an approval of the whole brief.
 */
function withoutTrailingEmptyParagraphs(doc: PMNode): PMNode {
  const content = [...(doc.content ?? [])];
  const isEmpty = (n: PMNode) => n.type === "paragraph" && !(n.content ?? []).some((c) => c.type !== "text" || (c.text ?? "") !== "");
  while (content.length > 0 && isEmpty(content[content.length - 1])) content.pop();
  return { ...doc, content };
}

/** The hash of one section ("brief" or a topic's block id), or null when there is no such topic. */
export function sectionHash(hashes: SectionHashes, section: string): string | null {
  if (section === WHOLE_BRIEF) return hashes.brief;
  return hashes.topics.find((t) => t.blockId === section)?.hash ?? null;
}

/** "Whole brief" or "Topic 2: Energy", as the review panel, the 409 message and the clearance record say it. */
export function sectionLabel(hashes: Pick<SectionHashes, "topics">, section: string): string {
  if (section === WHOLE_BRIEF) return "Whole brief";
  const topic = hashes.topics.find((t) => t.blockId === section);
  return topic ? `Topic ${topic.number}: ${topic.title || "Untitled"}` : "A removed topic";
}
