import { timestamp } from "./model-dates";
import type { ExportSuggestion, ExportTopic, Run } from "./model-types";

/**
 * Open suggestions in the Markdown file (`?suggestions=markup`) as CriticMarkup: `{--deleted--}`,
 * `{++inserted++}`, `{~~old~>new~~}` for a replacement, each followed by `{>>author · time<<}`.
 * Braces in the text are escaped (`\{`, `\}`), so a suggestion's own words never close its markup;
 * a reader without CriticMarkup still shows every word.
 */

/** Who made each suggestion; set by renderMarkdown for one (synchronous) build. */
let current: ExportSuggestion[] | null = null;

export function withCritics<T>(suggestions: ExportSuggestion[] | undefined, build: () => T): T {
  current = suggestions ?? [];
  try {
    return build();
  } finally {
    current = null;
  }
}

const isChange = (r: Run) => Boolean(r.sd || r.si);

/** The run without its suggestion flags. */
function plainRun(r: Run): Run {
  const copy = { ...r };
  delete copy.sd;
  delete copy.si;
  delete copy.sg;
  return copy;
}

function credit(sg: number | undefined): string {
  const s = sg !== undefined ? current?.[sg] : undefined;
  if (!s) return "";
  const at = new Date(s.at);
  return `${s.author}${Number.isNaN(at.getTime()) ? "" : ` · ${timestamp(at)}`}`;
}

/**
 * Runs with each suggestion's deleted and inserted runs gathered into one piece (`change`) and the
 * rest left as they are; `render` writes runs as Markdown, `escape` escapes plain text.
 */
export function criticRuns(runs: Run[], render: (runs: Run[]) => string, escape: (s: string) => string): (Run | { change: string })[] {
  const out: (Run | { change: string })[] = [];
  for (let i = 0; i < runs.length; ) {
    const r = runs[i];
    if (!isChange(r)) {
      out.push(r);
      i++;
      continue;
    }
    const del: Run[] = [];
    const ins: Run[] = [];
    const sg = r.sg;
    // One suggestion: its deleted runs, then its inserted ones.
    while (i < runs.length && isChange(runs[i]) && runs[i].sg === sg && !(runs[i].sd && ins.length)) {
      (runs[i].sd ? del : ins).push(plainRun(runs[i]));
      i++;
    }
    const braces = (s: string) => s.replace(/[{}]/g, (c) => `\\${c}`);
    const d = braces(render(del));
    const n = braces(render(ins));
    const body = del.length && ins.length ? `{~~${d}~>${n}~~}` : del.length ? `{--${d}--}` : `{++${n}++}`;
    const who = credit(sg);
    out.push({ change: who ? `${body}{>>${braces(escape(who))}<<}` : body });
  }
  return out;
}

/** A topic title with a suggested new one, as the same markup; null without one. */
export function criticTitle(t: ExportTopic, escape: (s: string) => string): string | null {
  const s = t.titleSuggestion;
  if (!s) return null;
  const shown = `${s.original} [suggested: ${s.replacement}]`;
  const prefix = t.title.endsWith(shown) ? t.title.slice(0, -shown.length) : "";
  const sg = s.sg >= 0 ? s.sg : undefined;
  const pieces = criticRuns(
    ([{ t: s.original, sd: true, sg }, { t: s.replacement, si: true, sg }] as Run[]).filter((r) => r.t),
    (runs) => runs.map((r) => escape(r.t)).join(""),
    escape,
  );
  return escape(prefix) + pieces.map((p) => ("change" in p ? p.change : escape(p.t))).join("");
}
