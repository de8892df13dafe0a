import type { ReactNode } from "react";

/**
 * A button of the margin's selection bar (Comment, Suggest edit). A mouse press on it must not take
 * the focus, or the editor's selection it acts on would be lost before the click.
 */
export function SelectionAction(props: { className: string; shortcut: string; title: string; onClick: () => void; children: ReactNode }) {
  return (
    <button type="button" className={props.className} aria-keyshortcuts={props.shortcut} title={props.title} onMouseDown={(e) => e.preventDefault()} onClick={props.onClick}>
      {props.children}
    </button>
  );
}
