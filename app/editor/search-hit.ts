import { Extension, type Editor } from "@tiptap/core";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";

/**
 * Opens a briefing at a search hit (`?q=<query>` from the team search, optionally `&hit=<blockId>`):
 * the words the search matched are highlighted with decorations, never written to the document
 * (viewers open hits too), and the block holding the best match is scrolled to just below the
 * sticky toolbar. The highlight stays until the person clicks in the text.
 */

export const SEARCH_HIT_CLASS = "search-hit";
export const SEARCH_HIT_BLOCK_CLASS = "search-hit-block";

const searchHitKey = new PluginKey<DecorationSet>("searchHit");

type Meta = { set: DecorationSet } | { clear: true };

/** Folds like the search index (unicode61 remove_diacritics, ADR 0203): ş→s, İ/ı→i, lower case. */
function foldChar(ch: string): string {
  if (ch === "ı" || ch === "İ") return "i";
  return ch.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

/** The query's words as the index sees them: letters and digits, folded; each matches as a prefix. */
export function queryTerms(query: string): string[] {
  const words = (query.normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12);
  return [...new Set(words.map((w) => Array.from(w.slice(0, 64)).map(foldChar).join("")).filter(Boolean))];
}

interface Match {
  from: number;
  to: number;
  term: string;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Words of one text run that start with a query term (the FTS prefix rule), as document ranges. */
function matchesIn(text: string, start: number, terms: string[]): Match[] {
  const out: Match[] = [];
  for (const m of text.matchAll(WORD)) {
    const folded = Array.from(m[0]).map(foldChar).join("");
    const term = terms.find((t) => folded.startsWith(t));
    if (term) out.push({ from: start + m.index, to: start + m.index + m[0].length, term });
  }
  return out;
}

/** Attribute text a block shows outside its editable content (speaker, title, fact value …). */
function attrText(node: ProseMirrorNode): string {
  if (!node.attrs.blockId) return "";
  return Object.entries(node.attrs)
    .filter(([k, v]) => k !== "blockId" && typeof v === "string")
    .map(([, v]) => v as string)
    .join(" ");
}

interface HitPlan {
  decorations: Decoration[];
  /** Document position of the block to scroll to, or -1 when nothing in the body matched. */
  target: number;
}

/**
 * Every matching word is highlighted; the target is the block with the most distinct terms (the
 * one the snippet came from, in practice), the earliest of equals, or the block named by `hitBlockId`.
 */
export function planSearchHit(doc: ProseMirrorNode, query: string, hitBlockId: string | null): HitPlan {
  const terms = queryTerms(query);
  const decorations: Decoration[] = [];
  let target = -1;
  let bestScore = 0;
  if (terms.length === 0) return { decorations, target };
  doc.descendants((node, pos) => {
    if (hitBlockId && node.attrs.blockId === hitBlockId) {
      decorations.push(Decoration.node(pos, pos + node.nodeSize, { class: SEARCH_HIT_BLOCK_CLASS }));
      target = pos;
      bestScore = Infinity;
    }
    if (node.attrs.blockId && !hitBlockId) {
      const inAttrs = new Set(matchesIn(attrText(node), 0, terms).map((m) => m.term));
      if (inAttrs.size > 0) decorations.push(Decoration.node(pos, pos + node.nodeSize, { class: SEARCH_HIT_BLOCK_CLASS }));
      if (inAttrs.size > bestScore) [target, bestScore] = [pos, inAttrs.size];
    }
    if (!node.isTextblock) return true;
    const found: Match[] = [];
    node.forEach((child, offset) => {
      if (child.isText) found.push(...matchesIn(child.text ?? "", pos + 1 + offset, terms));
    });
    for (const m of found) decorations.push(Decoration.inline(m.from, m.to, { class: SEARCH_HIT_CLASS, "data-search-term": m.term }));
    const score = new Set(found.map((m) => m.term)).size;
    if (score > bestScore) [target, bestScore] = [pos, score];
    return false;
  });
  return { decorations, target };
}

/** Scrolls `el` so its top sits just below the sticky editor toolbar (its height varies: measure). */
function scrollBelowToolbar(el: Element) {
  const bar = document.querySelector(".editor-topbar");
  const offset = (bar?.getBoundingClientRect().height ?? 0) + 16;
  window.scrollTo({ top: window.scrollY + el.getBoundingClientRect().top - offset, behavior: "auto" });
}

/**
 * Applies a search hit to a synced editor: highlights and scrolls. Node views render in the next
 * frames and move text down, so the scroll waits two frames and is repeated once layout settles.
 */
export function showSearchHit(editor: Editor, query: string, hitBlockId: string | null): void {
  const { view } = editor;
  const plan = planSearchHit(view.state.doc, query, hitBlockId);
  if (plan.decorations.length === 0) return;
  view.dispatch(view.state.tr.setMeta(searchHitKey, { set: DecorationSet.create(view.state.doc, plan.decorations) } satisfies Meta).setMeta("addToHistory", false));
  if (plan.target < 0) return;
  const scroll = () => {
    if (editor.isDestroyed) return;
    const el = view.nodeDOM(plan.target);
    if (el instanceof Element) scrollBelowToolbar(el);
  };
  requestAnimationFrame(() => requestAnimationFrame(() => {
    scroll();
    requestAnimationFrame(scroll);
  }));
}

/** The `?q=` / `?hit=` of the page address, as the search page writes them. */
export function searchHitFromUrl(href: string): { query: string; hitBlockId: string | null } | null {
  const params = new URL(href).searchParams;
  const query = (params.get("q") ?? "").slice(0, 200);
  const hit = params.get("hit");
  if (!query.trim() && !hit) return null;
  return { query, hitBlockId: hit && /^[\w-]{1,64}$/.test(hit) ? hit : null };
}

export const SearchHit = Extension.create({
  name: "searchHit",
  addProseMirrorPlugins() {
    return [
      new Plugin<DecorationSet>({
        key: searchHitKey,
        state: {
          init: () => DecorationSet.empty,
          apply(tr, set) {
            const meta = tr.getMeta(searchHitKey) as Meta | undefined;
            if (meta && "set" in meta) return meta.set;
            if (meta && "clear" in meta) return DecorationSet.empty;
            // Other people's edits move the highlighted words; keep the marks on them.
            return tr.docChanged ? set.map(tr.mapping, tr.doc) : set;
          },
        },
        props: {
          decorations: (state) => searchHitKey.getState(state),
          handleDOMEvents: {
            mousedown(view) {
              if (searchHitKey.getState(view.state) !== DecorationSet.empty) {
                view.dispatch(view.state.tr.setMeta(searchHitKey, { clear: true } satisfies Meta).setMeta("addToHistory", false));
              }
              return false;
            },
          },
        },
      }),
    ];
  },
});
