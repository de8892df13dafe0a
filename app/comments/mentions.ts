/**
 * Mentions in a comment body are stored as `<@userId>` tokens (the ids are validated against the
 * team on the server and listed in `comments.mentions`); the composer shows them as `@Name` and
 * the thread renders them as chips.
 */
export interface MentionableMember {
  userId: string;
  name: string;
}

export const MENTION_TOKEN = /<@([A-Za-z0-9_-]{1,64})>/g;

/** The distinct user ids mentioned in a stored body, in order of first appearance. */
export function mentionedIds(body: string): string[] {
  const ids: string[] = [];
  for (const m of body.matchAll(MENTION_TOKEN)) if (!ids.includes(m[1])) ids.push(m[1]);
  return ids;
}

export type BodyPart = { kind: "text"; text: string } | { kind: "mention"; userId: string };

/** Splits a stored body into text runs and mentions, for rendering as plain text and chips. */
export function splitBody(body: string): BodyPart[] {
  const parts: BodyPart[] = [];
  let last = 0;
  for (const m of body.matchAll(MENTION_TOKEN)) {
    if (m.index! > last) parts.push({ kind: "text", text: body.slice(last, m.index) });
    parts.push({ kind: "mention", userId: m[1] });
    last = m.index! + m[0].length;
  }
  if (last < body.length) parts.push({ kind: "text", text: body.slice(last) });
  return parts;
}

/** Stored body → what the composer shows: each token becomes `@Name`. */
export function bodyToDraft(body: string, members: readonly MentionableMember[]): { text: string; picked: string[] } {
  const picked: string[] = [];
  const text = body.replace(MENTION_TOKEN, (_all, id: string) => {
    const member = members.find((m) => m.userId === id);
    if (!member) return "@unknown";
    if (!picked.includes(id)) picked.push(id);
    return `@${member.name}`;
  });
  return { text, picked };
}

/**
 * Composer text → stored body: `@Name` of each member picked from the autocomplete becomes a token.
 * A typed `@Name` that was not picked stays plain text; any `<@…>` the user typed is defused so it
 * cannot pose as a mention.
 */
export function draftToBody(text: string, picked: readonly string[], members: readonly MentionableMember[]): string {
  let body = text.replace(/<@/g, "<\u200b@");
  const chosen = members.filter((m) => picked.includes(m.userId)).sort((a, b) => b.name.length - a.name.length);
  for (const m of chosen) body = body.split(`@${m.name}`).join(`<@${m.userId}>`);
  return body;
}

/** The `@query` being typed right before the caret, if any (for the autocomplete). */
export function mentionQueryAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const m = /(^|\s)@([^\s@<>]{0,40})$/.exec(before);
  if (!m) return null;
  return { start: caret - m[2].length - 1, query: m[2] };
}
