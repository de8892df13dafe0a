import type { ExportBlock, ExportClearance, ExportFacts, ExportModel, ExportQuote, ExportTopic, Run } from "./model-types";
import { criticRuns, criticTitle, withCritics } from "./markdown-suggestions";
import { unmarkNames } from "./names";

/**
 * The brief as CommonMark (with GitHub pipe tables for facts), from the same model as the PDF and
 * the Word file. Every character a desk officer typed is escaped where Markdown would read it as
 * syntax, so a Markdown reader shows the text exactly as written.
 */

/** Punctuation that is syntax anywhere in a line. Backslash escapes of ASCII punctuation are always valid. */
const ANYWHERE = /[\\`*_[\]<>|~&]/g;

/** Escapes text for an inline position. `lineStart`: the text opens a line, where more is syntax. */
export function escapeMarkdown(text: string, lineStart = true): string {
  let s = text.replace(ANYWHERE, (c) => `\\${c}`);
  if (lineStart) {
    // "# x", "- x", "+ x", "= x" (setext underline), "1. x" / "1) x": block syntax at a line's start.
    s = s.replace(/^(\s*)([#+\-=])/, "$1\\$2").replace(/^(\s*\d{1,9})([.)])/, "$1\\$2");
  }
  return s;
}

/** A code span that survives any backticks inside it. */
function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") || /^ .* $/.test(text) ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

function linkTarget(href: string): string {
  return href.replace(/[()<>\\\s]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0").toUpperCase()}`);
}

/** One run: markers wrap the text but not its outer spaces, or Markdown would not read them as emphasis. */
function inlineRun(r: Run, lineStart: boolean): string {
  if (r.code) return r.t ? codeSpan(r.t) : "";
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(r.t)!;
  const [, lead, core, trail] = m;
  if (!core) return r.t;
  let s = escapeMarkdown(core, lineStart && !lead);
  if (r.b) s = `**${s}**`;
  if (r.i) s = `*${s}*`;
  if (r.s) s = `~~${s}~~`;
  // Markdown has no underline; HTML's <u> is what CommonMark renderers pass through.
  if (r.u) s = `<u>${s}</u>`;
  if (r.href) s = `[${s}](${linkTarget(r.href)})`;
  return `${lead}${s}${trail}`;
}

/** Runs as Markdown lines (a hard break or a newline in the text starts a new line, as `\` + newline). */
function inline(runs: Run[]): string {
  let out = "";
  let lineStart = true;
  for (const piece of criticRuns(unmarkNames(runs), inline, (s) => escapeMarkdown(s, false))) {
    if ("change" in piece) {
      out += piece.change;
      lineStart = false;
      continue;
    }
    const r = piece;
    if (r.br) {
      out += "\\\n";
      lineStart = true;
      continue;
    }
    const parts = r.t.split("\n");
    parts.forEach((part, i) => {
      if (i > 0) {
        out += "\\\n";
        lineStart = true;
      }
      if (!part) return;
      out += inlineRun({ ...r, t: part }, lineStart);
      lineStart = false;
    });
  }
  return out;
}

const text = (s: string) => escapeMarkdown(s);

function blocks(list: ExportBlock[]): string[] {
  const out: string[] = [];
  for (const b of list) {
    if (out.length) out.push("");
    out.push(...block(b));
  }
  return out;
}

function indentLines(lines: string[], first: string, rest: string): string[] {
  return lines.map((l, i) => (i === 0 ? first : l ? rest : "") + l);
}

function block(b: ExportBlock): string[] {
  switch (b.kind) {
    case "paragraph":
      return inline(b.runs).split("\n");
    case "heading":
      return [`${"#".repeat(b.level)} ${inline(b.runs).replace(/\\\n/g, " ")}`];
    case "list":
      return b.items.flatMap((item, i) => {
        const marker = b.ordered ? `${b.start + i}. ` : "- ";
        const lines = blocks(item);
        return indentLines(lines.length ? lines : [""], marker, " ".repeat(marker.length));
      });
    case "blockquote":
      return blocks(b.blocks).map((l) => (l ? `> ${l}` : ">"));
    case "code": {
      const longest = Math.max(2, ...(b.text.match(/`+/g) ?? []).map((m) => m.length));
      const fence = "`".repeat(longest + 1);
      return [fence, ...b.text.split("\n"), fence];
    }
    case "rule":
      return ["---"];
    case "quote":
      return quote(b);
    case "topic":
      return topic(b);
    case "facts":
      return facts(b);
  }
}

function quote(q: ExportQuote): string[] {
  const lines = inline(q.runs).split("\n");
  const attribution = [q.speaker ? `**${text(q.speaker)}**` : "", ...[q.speakerRole, q.country, q.date].map(text)];
  if (q.source) attribution.push(q.sourceHref ? `[${escapeMarkdown(q.source, false)}](${linkTarget(q.sourceHref)})` : text(q.source));
  const parts = attribution.filter(Boolean);
  const body = [...lines];
  if (q.translation) body.push("", `*Translation:* ${escapeMarkdown(q.translation, false).replace(/\n/g, "\\\n")}`);
  if (parts.length) body.push("", `— ${parts.join(", ")}`);
  return body.map((l) => (l ? `> ${l}` : ">"));
}

function topic(t: ExportTopic): string[] {
  const labels = [`Priority ${t.priority}`, `Status ${t.status}`, ...(t.owner ? [`Owner: ${escapeMarkdown(t.owner, false)}`] : [])];
  const body = blocks(t.blocks);
  const title = criticTitle(t, (s) => escapeMarkdown(s, false)) ?? escapeMarkdown(t.title, false);
  return [`${"#".repeat(t.level)} ${t.number}. ${title}`, "", `*${labels.join(" · ")}*`, ...(body.length ? ["", ...body] : [])];
}

function cellText(s: string): string {
  return escapeMarkdown(s, false).replace(/\n/g, " ");
}

function facts(f: ExportFacts): string[] {
  const withCountry = f.country === "";
  const head = [...(withCountry ? ["Country"] : []), "Indicator", "Value", "As of", "Source"];
  const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const out = f.country ? [`**Country facts — ${text(f.country)}**`, ""] : [];
  out.push(row(head), row(head.map(() => "---")));
  for (const r of f.rows) {
    const source = r.sourceHref ? `[${cellText(r.source)}](${linkTarget(r.sourceHref)})` : cellText(r.source);
    out.push(
      row([
        ...(withCountry ? [cellText(r.country)] : []),
        cellText(r.label),
        `**${cellText(r.unit ? `${r.value} ${r.unit}` : r.value)}**`,
        r.stale ? `${cellText(r.asOf)} **STALE**` : cellText(r.asOf),
        source,
      ]),
    );
  }
  if (f.rows.some((r) => r.stale)) out.push("", "*Facts marked STALE are older than the desk's freshness limit; verify before use.*");
  return out;
}

function cover(model: ExportModel): string[] {
  const m = model.meta;
  const lines = [`**${text(m.classification)}**`, "", `# ${escapeMarkdown(m.title, false)}`, ""];
  const details = [
    m.summitName,
    [m.city, m.dates].filter(Boolean).join(" · "),
    `Team: ${m.team}`,
    `Classification: ${m.classification}`,
    `Status: ${m.statusLabel}`,
    `Exported ${m.exportedAt}`,
  ].filter((s) => s && s !== "Team: ");
  if (m.version !== null) {
    details.push(`Final version ${m.version}${m.finalizedAt ? `, finalized ${m.finalizedAt}` : ""}${m.finalizedBy ? ` by ${m.finalizedBy}` : ""}`);
    details.push(`Content hash (sha256): ${m.contentHash}`);
  }
  // Each on its own line: a trailing backslash is CommonMark's hard line break.
  lines.push(details.map(text).join("\\\n"));
  if (m.draft) lines.push("", "**DRAFT — not for distribution**");
  lines.push("", "---");
  return lines;
}

/** The final version's clearance record, as the PDF's last section. */
function clearance(c: ExportClearance): string[] {
  const row = (cells: string[]) => `| ${cells.map(cellText).join(" | ")} |`;
  const out = ["", "## Clearance record", "", text(`Finalized by ${c.finalizedBy} on ${c.finalizedAt}.`)];
  if (c.rows.length > 0) {
    out.push("", row(["Approver", "Section", "Decision", "When", "Note"]), "| --- | --- | --- | --- | --- |");
    for (const r of c.rows) out.push(row([r.approver, r.section, r.decision, r.at, r.note]));
  }
  if (c.override) out.push("", `**Finalized without every approval by ${text(c.override.by)}:** ${text(c.override.reason)}`);
  return out;
}

/** The Markdown file: cover lines, the body, the clearance record, and the classification again at the end. */
export function renderMarkdown(model: ExportModel): string {
  const body = withCritics(model.suggestions, () => blocks(model.blocks));
  const record = model.clearance ? clearance(model.clearance) : [];
  return [...cover(model), "", ...body, ...record, "", "---", "", `**${text(model.meta.classification)}**`, ""].join("\n");
}
