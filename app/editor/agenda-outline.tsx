import type { Editor } from "@tiptap/core";
import { useEditorState } from "@tiptap/react";
import { agendaTopics, type AgendaEntry } from "./agenda-numbers";

const sameList = (a: AgendaEntry[] | null, b: AgendaEntry[] | null) =>
  a === b ||
  (!!a && !!b && a.length === b.length && a.every((t, i) => t.blockId === b[i].blockId && t.title === b[i].title && t.status === b[i].status && t.number === b[i].number));

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
                  document.getElementById(`block-${t.blockId}`)?.scrollIntoView({ behavior: "smooth", block: "start" });
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
