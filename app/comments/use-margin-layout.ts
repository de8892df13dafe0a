import type { Editor } from "@tiptap/core";
import { createRef, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type RefObject } from "react";

const GAP = 10;

interface Item {
  id: string;
  /** ProseMirror position the card belongs next to. */
  from: number;
}

/**
 * Places thread cards in the margin next to their text, in document order, without overlaps. The
 * active card sits exactly beside its text; cards above it move up to make room, cards below move
 * down. Positions are measured against the margin container, so page scrolling does not matter.
 */
export function useMarginLayout(editor: Editor | null, items: Item[], activeId: string | null, selectionFrom: number | null) {
  const containerRef = useRef<HTMLDivElement>(null);
  const refs = useRef(new Map<string, RefObject<HTMLElement>>());
  const [tops, setTops] = useState<Record<string, number>>({});
  const [height, setHeight] = useState(0);
  const [buttonTop, setButtonTop] = useState<number | null>(null);
  const [tick, setTick] = useState(0);

  const cardRef = useCallback((id: string) => {
    let ref = refs.current.get(id);
    if (!ref) refs.current.set(id, (ref = createRef<HTMLElement>()));
    return ref as RefObject<HTMLElement> & RefObject<HTMLDivElement>;
  }, []);

  // Re-measure when the text reflows, the window resizes or a card changes height.
  useEffect(() => {
    const bump = () => setTick((t) => t + 1);
    const observer = new ResizeObserver(bump);
    if (editor && !editor.isDestroyed) observer.observe(editor.view.dom);
    for (const item of items) {
      const el = refs.current.get(item.id)?.current;
      if (el) observer.observe(el);
    }
    window.addEventListener("resize", bump);
    return () => {
      observer.disconnect();
      window.removeEventListener("resize", bump);
    };
  }, [editor, items]);

  useLayoutEffect(() => {
    const container = containerRef.current;
    if (!container || !editor || editor.isDestroyed) return;
    const base = container.getBoundingClientRect().top;
    const desired = (pos: number): number | null => {
      try {
        return Math.max(0, editor.view.coordsAtPos(pos).top - base);
      } catch {
        return null;
      }
    };
    const heightOf = (id: string) => refs.current.get(id)?.current?.offsetHeight ?? 0;
    const next: Record<string, number> = {};
    const pivot = Math.max(0, items.findIndex((i) => i.id === activeId));
    // From the active card (or the first) downwards…
    let bottom = 0;
    for (let i = pivot; i < items.length; i++) {
      const top = Math.max(desired(items[i].from) ?? bottom, i === pivot ? 0 : bottom);
      next[items[i].id] = top;
      bottom = top + heightOf(items[i].id) + GAP;
    }
    // …then upwards, each card ending above the one after it.
    let limit = next[items[pivot]?.id] ?? 0;
    for (let i = pivot - 1; i >= 0; i--) {
      const top = Math.min(desired(items[i].from) ?? 0, limit - GAP - heightOf(items[i].id));
      next[items[i].id] = top;
      limit = top;
    }
    // If the cards above ran out of room, push everything down.
    const shift = Math.max(0, -(items.length ? Math.min(...items.map((i) => next[i.id])) : 0));
    let end = 0;
    for (const item of items) {
      next[item.id] += shift;
      end = Math.max(end, next[item.id] + heightOf(item.id) + GAP);
    }
    setTops((prev) => (sameTops(prev, next) ? prev : next));
    setHeight((h) => (h === end ? h : end));
    const b = selectionFrom === null ? null : desired(selectionFrom);
    setButtonTop((prev) => (prev === b ? prev : b));
  });

  const style = useCallback(
    (id: string): CSSProperties => (id in tops ? { position: "absolute", top: tops[id], left: 0, right: 0 } : { position: "absolute", visibility: "hidden", left: 0, right: 0 }),
    [tops],
  );

  return useMemo(() => ({ containerRef, cardRef, style, height, buttonTop, tick }), [cardRef, style, height, buttonTop, tick]);
}

function sameTops(a: Record<string, number>, b: Record<string, number>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Math.abs(a[k] - b[k]) < 0.5);
}
