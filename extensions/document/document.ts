import { Node } from "@tiptap/core";
import { AGENDA_TOPIC_GROUP } from "../agenda-topic/agenda-topic-attrs";

/**
 * The top node. Like StarterKit's `doc` (same name, so stored documents are unchanged) but it also
 * admits agenda topics, which are kept out of the `block` group so they cannot nest inside each
 * other, a list or a blockquote.
 */
export const BriefingDocument = Node.create({
  name: "doc",
  topNode: true,
  content: `(block | ${AGENDA_TOPIC_GROUP})+`,
});
