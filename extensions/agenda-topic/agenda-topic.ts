import { mergeAttributes, Node } from "@tiptap/core";
import { NodeSelection, Plugin, PluginKey, TextSelection } from "@tiptap/pm/state";
import { newBlockId } from "../shared/attrs";
import { tiptapAttributes } from "../shared/attribute-spec";
import { AGENDA_TOPIC_ATTR_RULES, AGENDA_TOPIC_GROUP, sanitizeAgendaTopicAttrs, type AgendaTopicAttrs } from "./agenda-topic-attrs";

export * from "./agenda-topic-attrs";

export interface AgendaTopicOptions {
  /** Extra HTML attributes on the rendered `<section>`. @default {} */
  HTMLAttributes: Record<string, unknown>;
}

declare module "@tiptap/core" {
  interface Commands<ReturnType> {
    agendaTopic: {
      /**
       * Inserts an agenda topic after the top-level block holding the selection (or in place of an
       * empty paragraph) and puts the cursor in its body. Topics never nest.
       */
      insertAgendaTopic: (attrs?: Partial<AgendaTopicAttrs>) => ReturnType;
    };
  }
}

/**
 * One item of the summit agenda: a title with priority, status and owner, and a body of ordinary
 * blocks holding talking points and our draft position. Lives only at the top level of the
 * document (its own content group), so topics cannot nest. Frozen node name `agendaTopic`.
 */
export const AgendaTopic = Node.create<AgendaTopicOptions>({
  name: "agendaTopic",
  group: AGENDA_TOPIC_GROUP,
  content: "block+",
  defining: true,
  isolating: true,
  draggable: true,

  addOptions() {
    return { HTMLAttributes: {} };
  },

  addAttributes() {
    return tiptapAttributes(AGENDA_TOPIC_ATTR_RULES);
  },

  parseHTML() {
    return [{ tag: 'section[data-type="agenda-topic"]', contentElement: "[data-agenda-topic-body]" }];
  },

  renderHTML({ node, HTMLAttributes }) {
    const attrs = node.attrs as AgendaTopicAttrs;
    const meta = [`Priority: ${attrs.priority}`, `Status: ${attrs.status}`];
    if (attrs.owner) meta.push(`Owner: ${attrs.owner}`);
    return [
      "section",
      mergeAttributes(this.options.HTMLAttributes, HTMLAttributes, {
        "data-type": "agenda-topic",
        id: attrs.blockId ? `block-${attrs.blockId}` : undefined,
        class: "briefing-agenda-topic",
      }),
      [
        "header",
        { class: "agenda-topic-header", contenteditable: "false" },
        ["span", { class: "agenda-topic-title" }, attrs.title || "Untitled topic"],
        ["span", { class: "agenda-topic-meta" }, meta.join(" · ")],
      ],
      ["div", { class: "agenda-topic-body", "data-agenda-topic-body": "" }, 0],
    ];
  },

  addProseMirrorPlugins() {
    const name = this.name;
    return [
      new Plugin({
        key: new PluginKey("agendaTopicDrop"),
        // A topic dropped by its drag handle would stay selected as a whole: others would see the
        // mover's selection colour over the entire topic, and the selection's Comment and Suggest
        // edit buttons would offer actions on a whole topic. The caret goes to its start instead.
        appendTransaction(transactions, _old, state) {
          if (!transactions.some((tr) => tr.getMeta("uiEvent") === "drop")) return null;
          const selection = state.selection;
          if (!(selection instanceof NodeSelection) || selection.node.type.name !== name) return null;
          return state.tr.setSelection(TextSelection.near(state.doc.resolve(selection.from + 1)));
        },
      }),
    ];
  },

  addCommands() {
    return {
      insertAgendaTopic:
        (input = {}) =>
        ({ state, tr, dispatch }) => {
          const { schema, selection } = state;
          const paragraph = schema.nodes.paragraph;
          const attrs = sanitizeAgendaTopicAttrs(input);
          if (!attrs.blockId) attrs.blockId = newBlockId();
          const topic = schema.nodes[this.name].create(attrs, paragraph.create());

          const { $from } = selection;
          let from = selection.to;
          let to = selection.to;
          if ($from.depth > 0) {
            const top = $from.node(1);
            const replaceEmpty = top.type === paragraph && top.content.size === 0;
            to = $from.after(1);
            from = replaceEmpty ? $from.before(1) : to;
          }
          if (dispatch) {
            tr.replaceWith(from, to, topic);
            tr.setSelection(TextSelection.near(tr.doc.resolve(from + 2)));
            tr.scrollIntoView();
          }
          return true;
        },
    };
  },
});
