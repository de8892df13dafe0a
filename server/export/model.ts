import { STATUS_LABELS } from "../../db/enums";
import { sanitizeAgendaTopicAttrs } from "../../extensions/agenda-topic/agenda-topic";
import { countryName } from "../../extensions/country-fact/countries";
import { sanitizeCountryFactAttrs } from "../../extensions/country-fact/country-fact";
import { isFactStale } from "../../extensions/country-fact/stale";
import { sanitizeQuoteAttrs } from "../../extensions/quote/quote";
import { cleanText } from "../../extensions/shared/attrs";
import { collectPortionMarks, DEFAULT_LEVELS, markLabel, PORTION_MARK_ATTR, sanitizeLevelName, type ClassificationLevel } from "../../extensions/portion-mark/levels";
import type { ClearanceRecord } from "../../db/schema/reviews";
import type { ExportBlock, ExportClearance, ExportFact, ExportMeta, ExportModel, Lang, Run } from "./model-types";
import { exportSuggestions, splitSuggestions, topicTitle, withMarkup } from "./model-suggestions";
import { dateRange, humanDate, timestamp } from "./model-dates";
import { markNames, nameWords } from "./names";

export { dateRange, humanDate } from "./model-dates";
export { modelTexts } from "./model-texts";

/** ProseMirror JSON as stored (via the shared schema's `toJSON`). */
export interface PMNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: PMNode[];
  text?: string;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
}

export interface ExportInfo {
  title: string;
  summitName: string;
  city: string;
  startDate: string;
  endDate: string;
  /** The brief's minimum level. */
  classification: string;
  /** The team's levels, lowest first; the default four when not given. */
  levels?: readonly ClassificationLevel[];
  status: "draft" | "in_review" | "final";
  team: string;
  exportedAt: Date;
  /** Set when exporting a stored final version. */
  version?: { number: number; contentHash: string; createdAt: Date; createdBy: string | null } | null;
  /** FACT_STALE_MONTHS. */
  staleMonths: number;
  /** Show open suggestions as markup (the document carries them, server/export/suggestion-markup.ts). */
  suggestionMarkup?: boolean;
  /** With markup: who made each suggestion and when (ISO), in the order the markup numbers them. */
  suggestions?: { author: string; createdAt: string }[];
  /** The clearance record stored with the final version being exported. */
  clearance?: ClearanceRecord | null;
}

const DECISION_LABELS: Record<ClearanceRecord["entries"][number]["decision"], string> = {
  approved: "Approved",
  changes_requested: "Changes requested",
  missing: "Not approved",
};

/** The clearance record as template data: one line per field, times in UTC. */
export function exportClearance(record: ClearanceRecord): ExportClearance {
  return {
    finalizedBy: oneLine(record.finalizedByName),
    finalizedAt: timestamp(new Date(record.finalizedAt)),
    rows: record.entries.map((e) => ({
      approver: oneLine(e.approverName),
      section: oneLine(e.section),
      decision: DECISION_LABELS[e.decision] ?? "Not approved",
      at: e.at === null ? "—" : timestamp(new Date(e.at)),
      note: oneLine(e.note),
    })),
    override: record.override ? { by: oneLine(record.override.byName), reason: oneLine(record.override.reason) } : null,
  };
}

/** Languages Typst has hyphenation patterns for; others wrap unhyphenated (Kazakh among them). */
const HYPHENATED = new Set(
  "af sq be bg ca hr cs da nl en et fi fr ka de el hu is it ku la lt lv mn nb nn no pl pt ru sr sk sl es sv tr tk uk".split(" "),
);

/**
 * Body text: strips control characters (keeping tabs as spaces) so nothing invisible reaches the
 * PDF. Bidi controls stay: in running text they may be what makes mixed-direction words read right.
 * Block attributes never come through here; they go through the editor's own rules (below).
 */
function clean(value: unknown, max = 20_000): string {
  if (typeof value !== "string") return "";
  // eslint-disable-next-line no-control-regex
  return value.replace(/\t/g, " ").replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "").slice(0, max);
}

/** Briefing fields and links: one line, with control and bidi override characters stripped (shared rules). */
function oneLine(value: unknown, max = 2_000): string {
  return cleanText(value, max);
}

/** Only web and mail links become clickable; everything else stays text. */
export function safeHref(value: unknown): string {
  const s = oneLine(value);
  return /^(https?:\/\/|mailto:)[^\s]+$/i.test(s) ? s : "";
}

/** BCP 47 tag → what Typst's `text(lang:, region:)` accepts; unknown shapes fall back to English. */
export function typstLang(tag: unknown): Lang {
  const parts = oneLine(tag, 40).split(/[-_]/);
  const lang = /^[a-zA-Z]{2,3}$/.test(parts[0] ?? "") ? parts[0].toLowerCase() : "en";
  const region = parts.slice(1).find((p) => /^[a-zA-Z]{2}$/.test(p))?.toUpperCase() ?? "";
  return { lang, region, hyphenate: HYPHENATED.has(lang) };
}

function runs(nodes: PMNode[] | undefined): Run[] {
  const out: Run[] = [];
  for (const node of nodes ?? []) {
    if (node.type === "hardBreak") {
      out.push({ t: "", br: true });
      continue;
    }
    if (node.type !== "text") {
      // An unknown inline node still shows its text rather than vanishing.
      out.push(...runs(node.content));
      continue;
    }
    // Suggestion markers are the server's own; in the body they are never text of the brief.
    const run: Run = { t: "" };
    for (const mark of node.marks ?? []) {
      if (mark.type === "bold") run.b = true;
      else if (mark.type === "italic") run.i = true;
      else if (mark.type === "underline") run.u = true;
      else if (mark.type === "strike") run.s = true;
      else if (mark.type === "code") run.code = true;
      else if (mark.type === "link") {
        const href = safeHref(mark.attrs?.href);
        if (href) run.href = href;
      }
      // Comment marks and anything else are not part of the printed brief.
    }
    out.push(...splitSuggestions(run, node.text ?? "", clean));
  }
  return out;
}

function plain(nodes: PMNode[] | undefined): string {
  return runs(nodes)
    .map((r) => (r.br ? "\n" : r.t))
    .join("");
}

/** Puts "(C) " in front of the first text a block prints (a list: its first item; facts: the first row). */
function prefixFirst(block: ExportBlock | undefined, label: string): void {
  if (!block) return;
  switch (block.kind) {
    case "paragraph":
    case "heading":
    case "quote":
      block.runs.unshift({ t: `${label} `, b: true });
      return;
    case "topic":
      block.title = `${label} ${block.title}`;
      return;
    case "facts":
      if (block.rows[0]) block.rows[0].label = `${label} ${block.rows[0].label}`;
      return;
    case "list":
      prefixFirst(block.items[0]?.[0], label);
      return;
    case "blockquote":
      prefixFirst(block.blocks[0], label);
      return;
    case "code":
      block.text = `${label} ${block.text}`;
      return;
    case "rule":
      return;
  }
}

/** Ranks of level names: the team's levels in order, then each unknown mark above all of them. */
class LevelOrder {
  readonly names: string[];

  constructor(
    private readonly levels: readonly ClassificationLevel[],
    marks: string[],
  ) {
    this.names = levels.map((l) => l.name);
    for (const m of marks) if (!this.names.includes(m)) this.names.push(m);
  }

  rank(name: string): number {
    return name ? this.names.indexOf(name) : -1;
  }

  label(name: string): string {
    return markLabel(this.levels, name);
  }
}

class Builder {
  private topicNumber = 0;
  private headingLevel = 0;
  /** Rank inherited from the enclosing marked blocks (-1: none). */
  private rank = -1;

  constructor(
    private readonly info: ExportInfo,
    private readonly order: LevelOrder,
  ) {}

  /** Builds a node's block with its own portion mark applied: the label in front, the rank on it and inside. */
  private marked<T extends ExportBlock | null>(node: PMNode | { attrs?: Record<string, unknown> }, build: () => T): T {
    const own = sanitizeLevelName(node.attrs?.[PORTION_MARK_ATTR]);
    const outer = this.rank;
    this.rank = Math.max(outer, this.order.rank(own));
    try {
      const block = build();
      if (block && this.rank >= 0) block.lv = this.rank;
      if (block && own) prefixFirst(block, this.order.label(own));
      return block;
    } finally {
      this.rank = outer;
    }
  }

  /** A list item's blocks, with the item's own mark on its first block and its rank on all of them. */
  private item(item: PMNode, depth: number, inTopic: number): ExportBlock[] {
    const own = sanitizeLevelName(item.attrs?.[PORTION_MARK_ATTR]);
    const outer = this.rank;
    this.rank = Math.max(outer, this.order.rank(own));
    try {
      const blocks = this.blocks(item.content, depth, inTopic);
      if (own) prefixFirst(blocks[0], this.order.label(own));
      return blocks;
    } finally {
      this.rank = outer;
    }
  }

  blocks(nodes: PMNode[] | undefined, depth: number, inTopic = 0): ExportBlock[] {
    const out: ExportBlock[] = [];
    for (const node of nodes ?? []) {
      const block = this.block(node, depth, inTopic);
      if (!block) continue;
      const last = out[out.length - 1];
      // Consecutive country facts read best as one table.
      if (block.kind === "facts" && last?.kind === "facts") {
        last.rows.push(...block.rows);
        if (last.country !== block.country) last.country = "";
        if (block.lv !== undefined) last.lv = Math.max(last.lv ?? -1, block.lv);
      } else out.push(block);
    }
    return out;
  }

  private block(node: PMNode, depth: number, inTopic: number): ExportBlock | null {
    if (depth > 40) return null; // a pathological nesting depth is cut, not recursed into
    return this.marked(node, () => this.unmarked(node, depth, inTopic));
  }

  private unmarked(node: PMNode, depth: number, inTopic: number): ExportBlock | null {
    const a = node.attrs ?? {};
    switch (node.type) {
      case "paragraph": {
        const r = runs(node.content);
        return r.length ? { kind: "paragraph", runs: r } : null;
      }
      case "heading": {
        const own = Math.min(Math.max(Number(a.level) || 1, 1), 6);
        if (!inTopic) this.headingLevel = own;
        const level = inTopic ? Math.min(inTopic + own, 6) : own;
        const r = runs(node.content);
        return r.length ? { kind: "heading", level, runs: r } : null;
      }
      case "bulletList":
      case "orderedList":
      case "taskList":
        return {
          kind: "list",
          ordered: node.type === "orderedList",
          start: Math.max(1, Math.floor(Number(a.start) || 1)),
          items: (node.content ?? []).map((item) => this.item(item, depth + 1, inTopic)),
        };
      case "blockquote":
        return { kind: "blockquote", blocks: this.blocks(node.content, depth + 1, inTopic) };
      case "codeBlock":
        return { kind: "code", text: clean(plain(node.content)) };
      case "horizontalRule":
        return { kind: "rule" };
      case "quote": {
        // The editor's rules and limits (extensions/quote): a speaker the editor would clean is
        // printed exactly as the editor shows it, never with a bidi override or an overlong value.
        const q = sanitizeQuoteAttrs(a);
        return {
          kind: "quote",
          runs: runs(node.content),
          speaker: q.speaker,
          speakerRole: q.speakerRole,
          country: q.country ? countryName(q.country) : "",
          date: humanDate(q.date),
          source: q.source,
          sourceHref: safeHref(q.source),
          lang: typstLang(q.lang),
          translation: q.translation,
        };
      }
      case "agendaTopic": {
        if (inTopic) return { kind: "blockquote", blocks: this.blocks(node.content, depth + 1, inTopic) };
        const level = Math.min(this.headingLevel + 1, 6);
        const t = sanitizeAgendaTopicAttrs(a);
        const title = topicTitle(t.title);
        return {
          kind: "topic",
          number: ++this.topicNumber,
          level,
          title: title.title || "Untitled topic",
          ...(title.suggestion ? { titleSuggestion: title.suggestion } : {}),
          priority: t.priority,
          status: t.status,
          owner: t.owner,
          blocks: this.blocks(node.content, depth + 1, level),
        };
      }
      case "countryFact": {
        const f = sanitizeCountryFactAttrs(a);
        const row: ExportFact = {
          country: f.country ? countryName(f.country) : f.countryName,
          label: f.label,
          value: f.value,
          unit: f.unit,
          asOf: humanDate(f.asOf),
          source: f.source,
          sourceHref: safeHref(f.source),
          stale: isFactStale(f.asOf, this.info.exportedAt, this.info.staleMonths),
        };
        return { kind: "facts", country: row.country, rows: [row] };
      }
      default:
        // Unknown block: keep its text so nothing the author wrote silently disappears.
        if (node.content?.some((c) => c.type === "text")) {
          const r = runs(node.content);
          return r.length ? { kind: "paragraph", runs: r } : null;
        }
        if (node.content?.length) return { kind: "blockquote", blocks: this.blocks(node.content, depth + 1, inTopic) };
        return null;
    }
  }
}

/** The brief as template data: briefing fields + the body read through the shared schema. */
export function buildExportModel(doc: PMNode, info: ExportInfo): ExportModel {
  const version = info.version ?? null;
  // The level is read from the document itself, whatever the briefings list or a client shows.
  const levels = info.levels ?? DEFAULT_LEVELS;
  const marks = collectPortionMarks(doc);
  const minimum = sanitizeLevelName(info.classification) || levels[0]?.name || "UNCLASSIFIED";
  const order = new LevelOrder(levels, [minimum, ...marks]);
  const baseRank = order.rank(minimum);
  const overallRank = Math.max(baseRank, ...marks.map((m) => order.rank(m)));
  const meta: ExportMeta = {
    title: oneLine(info.title),
    summitName: oneLine(info.summitName),
    city: oneLine(info.city),
    dates: dateRange(oneLine(info.startDate, 10), oneLine(info.endDate, 10)),
    team: oneLine(info.team),
    classification: order.names[overallRank],
    levelNames: order.names,
    baseRank,
    overallRank,
    status: info.status,
    statusLabel: STATUS_LABELS[info.status] ?? "Draft",
    exportedAt: timestamp(info.exportedAt),
    exportedAtIso: info.exportedAt.toISOString(),
    draft: !version,
    version: version?.number ?? null,
    contentHash: version?.contentHash ?? null,
    shortHash: version ? version.contentHash.slice(0, 12) : null,
    finalizedAt: version ? timestamp(version.createdAt) : null,
    finalizedBy: version?.createdBy ? oneLine(version.createdBy) : null,
  };
  const blocks = withMarkup(Boolean(info.suggestionMarkup), () => new Builder(info, order).blocks(doc.content, 0));
  const clearance = version && info.clearance ? exportClearance(info.clearance) : null;
  const model: ExportModel = { meta, blocks: markNames(blocks, nameWords(blocks, [meta.city])), clearance };
  if (info.suggestionMarkup) model.suggestions = exportSuggestions(info.suggestions, oneLine);
  return model;
}
