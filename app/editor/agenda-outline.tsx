import type { Editor } from "@tiptap/core";
import { useEditorState } from "@tiptap/react";
import { agendaTopics, type AgendaEntry } from "./agenda-numbers";

const sameList = (a: AgendaEntry[] | null, b: AgendaEntry[] | null) =>
  a === b ||
  (!!a && !!b && a.length === b.length && a.every((t, i) => t.blockId === b[i].blockId && t.title === b[i].title && t.status === b[i].status && t.number === b[i].number));

/**
 * Scrolls `el` to just below the sticky editor toolbar: scrolling it to the very top put its
 * header under the toolbar. The toolbar's height varies (it wraps on narrow windows), so measure.
 */
function scrollBelowToolbar(el: HTMLElement | null) {
  if (!el) return;
  const bar = document.querySelector(".editor-topbar");
  const offset = (bar?.getBoundingClientRect().height ?? 0) + 12;
  window.scrollTo({ top: window.scrollY + el.getBoundingClientRect().top - offset, behavior: "smooth" });
}

/** The agenda at a glance: every topic with its live number; a click scrolls to it. */
export function AgendaOutline({ editor }: { editor: Editor }) {
  const topics = useEditorState({ editor, selector: ({ editor: e }) => agendaTopics(e.state.doc), equalityFn: sameList }) ?? [];
  return (
    <nav className="outline" aria-label="Agenda">
      <h2 className="side-heading">Agenda</h2>
      {topics.length === 0 ? (
        <p className="muted small">No agenda topics yet. Type “/agenda” in the text to add one.</p>
      ) : (
        <ol>
          {topics.map((t) => (
            <li key={t.blockId || t.pos}>
              <a
                href={`#block-${t.blockId}`}
                onClick={(e) => {
                  e.preventDefault();
                  scrollBelowToolbar(document.getElementById(`block-${t.blockId}`));
                }}
              >
                <span className="outline-number">{t.number}</span>
                <span className="outline-title">{t.title || "Untitled topic"}</span>
                <span className={`outline-status status-${t.status}`} title={t.status}>
                  <span className="sr-only">{t.status}</span>
                </span>
              </a>
            </li>
          ))}
        </ol>
      )}
    </nav>
  );
}
