/**
 * The attributes of an `agendaTopic` block: rules, sanitiser and validation. Pure (no Tiptap, no
 * ProseMirror), so the projection thread reads topics without loading the editor schema
 * (docs/decisions/0208); agenda-topic.ts builds the Tiptap node from these rules.
 */
import { sanitizeAll, TEXT, validateAll, type AttrRules } from "../shared/attribute-spec";

export const AGENDA_PRIORITIES = ["high", "medium", "low"] as const;
export const AGENDA_STATUSES = ["proposed", "agreed", "contested"] as const;
export type AgendaPriority = (typeof AGENDA_PRIORITIES)[number];
export type AgendaStatus = (typeof AGENDA_STATUSES)[number];

/** Attributes of an `agendaTopic` block. Its number is computed from document order, never stored. */
export type AgendaTopicAttrs = {
  /** Stable id of the block (projection key, link anchor `#block-<blockId>`). */
  blockId: string;
  title: string;
  /** @default "medium" */
  priority: AgendaPriority;
  /** @default "proposed" */
  status: AgendaStatus;
  /** Display name of the responsible team member. @default "" */
  owner: string;
  /** User id of the responsible team member. @default "" */
  ownerId: string;
};

export const AGENDA_TOPIC_ATTR_RULES: AttrRules<AgendaTopicAttrs> = {
  blockId: { kind: "id", label: "Block id" },
  title: TEXT("Title", 300),
  priority: { kind: "enum", values: AGENDA_PRIORITIES, fallback: "medium", label: "Priority" },
  status: { kind: "enum", values: AGENDA_STATUSES, fallback: "proposed", label: "Status" },
  owner: TEXT("Owner"),
  ownerId: { kind: "id", label: "Owner" },
};

/** Every agenda-topic attribute with a safe value (defaults for missing or invalid ones). */
export const sanitizeAgendaTopicAttrs = (input?: Partial<Record<keyof AgendaTopicAttrs, unknown>> | null): AgendaTopicAttrs =>
  sanitizeAll(AGENDA_TOPIC_ATTR_RULES, input);
/** Field errors for the given agenda-topic attributes; `{}` when valid. */
export const validateAgendaTopicAttrs = (input: Partial<Record<keyof AgendaTopicAttrs, unknown>>) =>
  validateAll(AGENDA_TOPIC_ATTR_RULES, input);

/** The content group agenda topics belong to; the document allows `(block | topic)+`. */
export const AGENDA_TOPIC_GROUP = "topic";
