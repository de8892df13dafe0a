import { NodeViewContent, NodeViewWrapper, useEditorState, type ReactNodeViewProps } from "@tiptap/react";
import { useEffect, useState, type FocusEvent, type KeyboardEvent } from "react";
import { isSuggesting } from "../../suggestions/suggesting-mode";
import { requestTitleSuggestion } from "../../suggestions/title-events";
import { PortionBadge } from "./portion-badge";
import { AGENDA_PRIORITIES, AGENDA_STATUSES, type AgendaTopicAttrs } from "../../../extensions/agenda-topic/agenda-topic";
import { agendaNumberAt } from "../agenda-numbers";
import { agendaMoveSpan, canMoveAgendaTopic, moveAgendaTopic } from "../block-move";
import { useEditorEnv } from "../editor-env";
import { AttrSelect } from "./attr-fields";

const PRIORITY_LABELS: Record<string, string> = { high: "High priority", medium: "Medium priority", low: "Low priority" };
const STATUS_LABELS: Record<string, string> = { proposed: "Proposed", agreed: "Agreed", contested: "Contested" };

/** One agenda item: live number, title, priority, status and owner above an editable body. */
export function AgendaTopicView({ node, editor, getPos, updateAttributes }: ReactNodeViewProps) {
  const env = useEditorEnv();
  const a = node.attrs as AgendaTopicAttrs;
  // Recomputed on every transaction, so moving or inserting a topic renumbers all of them.
  const number = useEditorState({
    editor,
    selector: ({ editor: e }) => {
      const pos = getPos();
      return typeof pos === "number" ? agendaNumberAt(e.state.doc, pos) : 0;
    },
  });
  const movable = useEditorState({
    editor,
    selector: ({ editor: e }) => {
      const pos = getPos();
      if (typeof pos !== "number") return "";
      return `${canMoveAgendaTopic(e.state.doc, pos, "up") ? "up" : ""} ${canMoveAgendaTopic(e.state.doc, pos, "down") ? "down" : ""}`;
    },
  });
  const move = (direction: "up" | "down") => {
    const pos = getPos();
    const span = typeof pos === "number" ? agendaMoveSpan(editor.state.doc, pos, direction) : null;
    if (typeof pos !== "number" || !span) return;
    // Yjs moves by deleting and inserting: what others type in these topics meanwhile would be lost.
    const busy = env.othersEditingIn(span.from, span.to);
    if (busy.length > 0) {
      const who = busy.length === 1 ? `${busy[0]} is` : `${busy.slice(0, -1).join(", ")} and ${busy.at(-1)} are`;
      if (!window.confirm(`${who} typing in the topics this move rearranges. What they type while it happens can be lost. Move anyway?`)) return;
    }
    const tr = moveAgendaTopic(editor.state, pos, direction);
    if (tr) editor.view.dispatch(tr);
  };
  const ownerKnown = !a.ownerId || env.members.some((m) => m.userId === a.ownerId);
  // In Suggesting mode the title input changes nothing: what is typed is kept here and sent as a
  // title suggestion on Enter or when the input loses focus (Escape drops it).
  const suggesting = useEditorState({ editor, selector: ({ editor: e }) => !env.readOnly && isSuggesting(e.state) });
  const [typedTitle, setTypedTitle] = useState<string | null>(null);
  // Leaving Suggesting mode drops a title typed but not sent: the input shows the real title again.
  useEffect(() => {
    if (!suggesting) setTypedTitle(null);
  }, [suggesting]);
  const sendTitle = (input: HTMLInputElement) => {
    const pos = getPos();
    if (typedTitle !== null && typedTitle !== a.title && typeof pos === "number") requestTitleSuggestion(input, { pos, title: typedTitle });
    setTypedTitle(null);
  };
  const onTitleKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (!suggesting) return;
    if (e.key === "Enter") {
      e.preventDefault();
      sendTitle(e.currentTarget);
    } else if (e.key === "Escape") setTypedTitle(null);
  };
  const askTitle = (button: HTMLElement) => {
    const pos = getPos();
    if (typeof pos === "number") requestTitleSuggestion(button, { pos });
  };

  return (
    <NodeViewWrapper
      as="section"
      id={a.blockId ? `block-${a.blockId}` : undefined}
      className={`block block-agenda status-${a.status} priority-${a.priority}`}
      data-type="agenda-topic"
    >
      <PortionBadge editor={editor} node={node} />
      <header className="agenda-head" contentEditable={false}>
        {!env.readOnly && (
          // Tiptap starts a drag of the whole topic from an element with data-drag-handle; the
          // buttons beside it do the same move for keyboard users.
          <span className="agenda-drag" data-drag-handle draggable="true" title="Drag to move this topic" aria-hidden>
            ⠿
          </span>
        )}
        <span className="agenda-number" aria-label={`Agenda item ${number}`} data-testid="agenda-number">
          {number || "·"}
        </span>
        <label className="sr-only" htmlFor={`title-${a.blockId}`}>
          Topic title
        </label>
        <input
          id={`title-${a.blockId}`}
          className="agenda-title"
          value={suggesting ? (typedTitle ?? a.title) : a.title}
          placeholder="Topic title"
          disabled={env.readOnly}
          title={suggesting ? "Suggesting: type a new title and press Enter to suggest it" : undefined}
          onChange={(e) => (suggesting ? setTypedTitle(e.target.value) : updateAttributes({ title: e.target.value }))}
          onKeyDown={onTitleKey}
          onBlur={(e: FocusEvent<HTMLInputElement>) => suggesting && sendTitle(e.currentTarget)}
        />
        {env.readOnly && env.canSuggest && (
          <button type="button" className="link-button agenda-suggest-title" aria-label={`Suggest a title for topic ${number}`} onClick={(e) => askTitle(e.currentTarget)}>
            Suggest title
          </button>
        )}
        <div className="agenda-controls">
          {!env.readOnly && (
            <span className="agenda-move">
              <button type="button" className="move-button" aria-label={`Move topic ${number} up`} title="Move up, before the previous topic" disabled={!movable.includes("up")} onClick={() => move("up")}>
                ↑
              </button>
              <button type="button" className="move-button" aria-label={`Move topic ${number} down`} title="Move down, after the next topic" disabled={!movable.includes("down")} onClick={() => move("down")}>
                ↓
              </button>
            </span>
          )}
          <AttrSelect label="Priority" hideLabel className={`pill priority-${a.priority}`} value={a.priority} disabled={env.readOnly} onChange={(v) => updateAttributes({ priority: v })}>
            {AGENDA_PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {PRIORITY_LABELS[p]}
              </option>
            ))}
          </AttrSelect>
          <AttrSelect label="Status" hideLabel className={`pill status-${a.status}`} value={a.status} disabled={env.readOnly} onChange={(v) => updateAttributes({ status: v })}>
            {AGENDA_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </AttrSelect>
          <AttrSelect
            label="Owner"
            hideLabel
            className="pill owner"
            value={a.ownerId}
            disabled={env.readOnly}
            onChange={(id) => {
              const member = env.members.find((m) => m.userId === id);
              updateAttributes({ ownerId: member?.userId ?? "", owner: member?.name ?? "" });
            }}
          >
            <option value="">No owner</option>
            {!ownerKnown && <option value={a.ownerId}>{a.owner || "Former member"} (not in team)</option>}
            {env.members.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.name}
              </option>
            ))}
          </AttrSelect>
        </div>
      </header>
      <NodeViewContent className="agenda-body" />
    </NodeViewWrapper>
  );
}
