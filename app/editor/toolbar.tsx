import type { Editor } from "@tiptap/core";
import { useEditorState } from "@tiptap/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { BLOCK_COMMANDS, type BlockCommand, type BlockCommandUi } from "./block-commands";
import { LinkDialog } from "./link-dialog";

const ICONS: Record<string, ReactNode> = {
  bulletList: <path d="M8 6h12M8 12h12M8 18h12M4 6h.01M4 12h.01M4 18h.01" />,
  orderedList: <path d="M10 6h10M10 12h10M10 18h10M4 4h1v4M4 8h2M4 14h2l-2 3h2" />,
  link: <path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" />,
  undo: <path d="M9 14 4 9l5-5M4 9h10a6 6 0 0 1 0 12h-3" />,
  redo: <path d="m15 14 5-5-5-5M20 9H10a6 6 0 0 0 0 12h3" />,
};

function Icon({ name }: { name: string }) {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      {ICONS[name]}
    </svg>
  );
}

function ToolButton(props: { label: string; shortcut?: string; active?: boolean; disabled?: boolean; onClick: () => void; children: ReactNode; className?: string }) {
  return (
    <button
      type="button"
      className={`tool${props.active ? " is-active" : ""}${props.className ? ` ${props.className}` : ""}`}
      aria-label={props.label}
      aria-pressed={props.active === undefined ? undefined : props.active}
      title={props.shortcut ? `${props.label} (${props.shortcut})` : props.label}
      disabled={props.disabled}
      onMouseDown={(e) => e.preventDefault()} // keep the editor's selection
      onClick={props.onClick}
    >
      {props.children}
    </button>
  );
}

/** Formatting, history and block insertion for the briefing body. */
export function Toolbar({ editor, ui, disabled }: { editor: Editor; ui: BlockCommandUi; disabled: boolean }) {
  const [linkOpen, setLinkOpen] = useState(false);
  const s = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      paragraph: e.isActive("paragraph"),
      h1: e.isActive("heading", { level: 1 }),
      h2: e.isActive("heading", { level: 2 }),
      h3: e.isActive("heading", { level: 3 }),
      bold: e.isActive("bold"),
      italic: e.isActive("italic"),
      underline: e.isActive("underline"),
      bulletList: e.isActive("bulletList"),
      orderedList: e.isActive("orderedList"),
      link: e.isActive("link"),
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
    }),
  });
  const run = (fn: (e: Editor) => boolean) => () => void fn(editor);
  const inserts = BLOCK_COMMANDS.filter((c) => ["quote", "agendaTopic", "countryFact", "libraryFact"].includes(c.id) && c.available(editor));

  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting" aria-disabled={disabled || undefined}>
      <div className="tool-group" role="group" aria-label="Block type">
        <ToolButton label="Paragraph" active={s.paragraph} disabled={disabled} onClick={run((e) => e.chain().focus().setParagraph().run())}>
          ¶
        </ToolButton>
        {([1, 2, 3] as const).map((level) => (
          <ToolButton
            key={level}
            label={`Heading ${level}`}
            shortcut={`Ctrl+Alt+${level}`}
            active={s[`h${level}`]}
            disabled={disabled}
            onClick={run((e) => e.chain().focus().toggleHeading({ level }).run())}
          >
            H{level}
          </ToolButton>
        ))}
      </div>
      <div className="tool-group" role="group" aria-label="Text style">
        <ToolButton label="Bold" shortcut="Ctrl+B" active={s.bold} disabled={disabled} onClick={run((e) => e.chain().focus().toggleBold().run())} className="t-bold">
          B
        </ToolButton>
        <ToolButton label="Italic" shortcut="Ctrl+I" active={s.italic} disabled={disabled} onClick={run((e) => e.chain().focus().toggleItalic().run())} className="t-italic">
          I
        </ToolButton>
        <ToolButton label="Underline" shortcut="Ctrl+U" active={s.underline} disabled={disabled} onClick={run((e) => e.chain().focus().toggleUnderline().run())} className="t-underline">
          U
        </ToolButton>
        <span className="tool-anchor">
          <ToolButton label="Link" active={s.link || linkOpen} disabled={disabled} onClick={() => setLinkOpen((o) => !o)}>
            <Icon name="link" />
          </ToolButton>
          {linkOpen && <LinkDialog editor={editor} onClose={() => setLinkOpen(false)} />}
        </span>
      </div>
      <div className="tool-group" role="group" aria-label="Lists">
        <ToolButton label="Bulleted list" active={s.bulletList} disabled={disabled} onClick={run((e) => e.chain().focus().toggleBulletList().run())}>
          <Icon name="bulletList" />
        </ToolButton>
        <ToolButton label="Numbered list" active={s.orderedList} disabled={disabled} onClick={run((e) => e.chain().focus().toggleOrderedList().run())}>
          <Icon name="orderedList" />
        </ToolButton>
      </div>
      <div className="tool-group" role="group" aria-label="History">
        <ToolButton label="Undo" shortcut="Ctrl+Z" disabled={disabled || !s.canUndo} onClick={run((e) => e.chain().focus().undo().run())}>
          <Icon name="undo" />
        </ToolButton>
        <ToolButton label="Redo" shortcut="Ctrl+Shift+Z" disabled={disabled || !s.canRedo} onClick={run((e) => e.chain().focus().redo().run())}>
          <Icon name="redo" />
        </ToolButton>
      </div>
      {inserts.length > 0 && <InsertMenu editor={editor} ui={ui} disabled={disabled} commands={inserts} />}
    </div>
  );
}

/**
 * "Insert" button with the structured blocks; the same commands as the slash menu. Keyboard as in
 * the WAI-ARIA menu button pattern: Enter, Space or ArrowDown open it on the first item (ArrowUp on
 * the last), arrows, Home and End move a roving tabindex, Escape closes it and gives focus back to
 * the button, Tab closes it and moves on.
 */
function InsertMenu({ editor, ui, disabled, commands }: { editor: Editor; ui: BlockCommandUi; disabled: boolean; commands: BlockCommand[] }) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const ref = useRef<HTMLSpanElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([]);
  // Opened from the keyboard, focus goes into the menu; opened with the mouse, it stays where it was
  // (the button keeps the editor's selection by not taking focus on mousedown).
  const focusOnOpen = useRef(false);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => !ref.current?.contains(e.target as Node) && setOpen(false);
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, [open]);
  useEffect(() => {
    if (open && focusOnOpen.current) itemRefs.current[active]?.focus();
  }, [open, active]);

  const openAt = (index: number) => {
    focusOnOpen.current = true;
    setActive(index);
    setOpen(true);
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    focusOnOpen.current = false;
    if (refocus) buttonRef.current?.focus();
  };
  const last = commands.length - 1;
  const onButtonKey = (e: React.KeyboardEvent) => {
    if (e.key === "ArrowDown" || e.key === "Enter" || e.key === " ") openAt(0);
    else if (e.key === "ArrowUp") openAt(last);
    else return;
    e.preventDefault();
  };
  const onMenuKey = (e: React.KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowDown: active === last ? 0 : active + 1, ArrowUp: active === 0 ? last : active - 1, Home: 0, End: last };
    if (e.key in moves) {
      focusOnOpen.current = true;
      setActive(moves[e.key]);
    } else if (e.key === "Escape") close(true);
    else if (e.key === "Tab") return close(false);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <span className="tool-anchor insert-anchor" ref={ref}>
      <button
        ref={buttonRef}
        type="button"
        id="insert-menu-button"
        className={`tool tool-insert${open ? " is-active" : ""}`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? "insert-menu" : undefined}
        disabled={disabled}
        onMouseDown={(e) => e.preventDefault()}
        onKeyDown={onButtonKey}
        onClick={(e) => {
          // Enter and Space also fire click; the keydown has opened the menu already.
          if (e.detail === 0) return;
          focusOnOpen.current = false;
          setActive(0);
          setOpen((o) => !o);
        }}
      >
        <span aria-hidden>+</span> Insert
      </button>
      {open && (
        <div className="slash-menu insert-menu" id="insert-menu" role="menu" aria-label="Insert block" onKeyDown={onMenuKey}>
          <ul role="none">
            {commands.map((c, i) => (
              <li key={c.id} role="none">
                <button
                  ref={(el) => {
                    itemRefs.current[i] = el;
                  }}
                  type="button"
                  role="menuitem"
                  tabIndex={i === active ? 0 : -1}
                  data-command={c.id}
                  onMouseDown={(e) => e.preventDefault()}
                  onMouseEnter={() => setActive(i)}
                  onClick={() => {
                    close(false);
                    c.run(editor, ui);
                  }}
                >
                  <span className="slash-glyph" aria-hidden>
                    {c.glyph}
                  </span>
                  <span className="slash-text">
                    <span className="slash-label">{c.label}</span>
                    <span className="slash-desc">{c.description}</span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </span>
  );
}
