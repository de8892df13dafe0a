import type { Editor } from "@tiptap/core";
import { useEditorState } from "@tiptap/react";
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from "react";
import { filterCommands, type BlockCommand, type BlockCommandUi } from "./block-commands";
import { slashMenuKey } from "./slash-menu-plugin";

/**
 * The "/" menu: a filterable list of blocks under the caret. Keys: ↑/↓ move, Enter inserts,
 * Escape closes (and leaves the "/" as typed).
 */
export function SlashMenuPopup({ editor, ui, container }: { editor: Editor; ui: BlockCommandUi; container: RefObject<HTMLElement> }) {
  const slash = useEditorState({ editor, selector: ({ editor: e }) => slashMenuKey.getState(e.state) ?? null });
  const active = Boolean(slash?.active);
  const query = slash?.query ?? "";
  const items = active ? filterCommands(editor, query) : [];
  const [index, setIndex] = useState(0);
  const [pos, setPos] = useState<{ top: number; left: number } | null>(null);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => setIndex(0), [query, active]);

  useLayoutEffect(() => {
    if (!active || !slash || !container.current) return setPos(null);
    const box = container.current.getBoundingClientRect();
    const at = editor.view.coordsAtPos(slash.from);
    setPos({ top: at.bottom - box.top + 6, left: Math.max(0, at.left - box.left) });
  }, [active, slash, editor, container]);

  const choose = (item: BlockCommand | undefined) => {
    if (!item || !slash) return;
    editor.chain().focus().deleteRange({ from: slash.from, to: slash.to }).run();
    item.run(editor, ui);
  };
  const close = () => editor.view.dispatch(editor.state.tr.setMeta(slashMenuKey, { dismiss: true }));

  // The plugin forwards key presses here while the menu is open; the latest closure wins.
  editor.storage.slashMenu.onKeyDown = active
    ? (event) => {
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          const n = items.length || 1;
          setIndex((i) => (i + (event.key === "ArrowDown" ? 1 : n - 1)) % n);
          return true;
        }
        if (event.key === "Enter" || event.key === "Tab") {
          if (!items.length) return false;
          choose(items[index]);
          return true;
        }
        if (event.key === "Escape") {
          close();
          return true;
        }
        return false;
      }
    : null;

  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>('[aria-selected="true"]')?.scrollIntoView({ block: "nearest" });
  }, [index]);

  if (!active || !pos) return null;
  return (
    <div className="slash-menu" style={{ top: pos.top, left: pos.left }} role="dialog" aria-label="Insert block">
      {items.length === 0 ? (
        <p className="slash-empty">No block matches “{query}”</p>
      ) : (
        <ul role="listbox" ref={listRef} aria-label="Blocks">
          {items.map((item, i) => (
            <li
              key={item.id}
              role="option"
              aria-selected={i === index}
              data-command={item.id}
              onMouseEnter={() => setIndex(i)}
              onMouseDown={(e) => {
                e.preventDefault(); // keep the editor's selection
                choose(item);
              }}
            >
              <span className="slash-glyph" aria-hidden>
                {item.glyph}
              </span>
              <span className="slash-text">
                <span className="slash-label">{item.label}</span>
                <span className="slash-desc">{item.description}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
