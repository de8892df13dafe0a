import type { Db } from "../../client";

/** A mention as both dialects return it (see db/queries/comments.ts). */
export interface MentionRow {
  commentId: string;
  threadId: string;
  briefingId: string;
  briefingTitle: string;
  teamName: string;
  authorName: string | null;
  authorColor: string | null;
  body: string;
  quotedText: string;
  createdAt: number;
  resolved: boolean;
}

// Comments that mention a user, from briefings of teams the user is in now. The user's own
// comments and deleted ones (empty body) are left out. `json_each` is SQLite's (ADR 0111).
const MENTIONS_FROM = `
    from comments c
    join comment_threads t on t.id = c.thread_id
    join briefings b on b.id = t.briefing_id
    join memberships ms on ms.team_id = b.team_id and ms.user_id = @userId
    left join users u on u.id = c.author_id
   where c.body != '' and (c.author_id is null or c.author_id != @userId)
     and exists (select 1 from json_each(c.mentions) m where m.value = @userId)`;

function prepareMentionQueries(db: Db) {
  return {
    list: db.$client.prepare<{ userId: string; limit: number }, Omit<MentionRow, "resolved"> & { resolved: number }>(
      `select c.id as commentId, c.thread_id as threadId, t.briefing_id as briefingId, b.title as briefingTitle,
              (select name from teams where id = b.team_id) as teamName, u.name as authorName, u.color as authorColor,
              c.body as body, t.quoted_text as quotedText, c.created_at as createdAt, t.resolved_at is not null as resolved
       ${MENTIONS_FROM}
       order by c.created_at desc
       limit @limit`,
    ),
    // The top bar asks on every page: a count, prepared once per database.
    countOpen: db.$client.prepare<{ userId: string }, number>(`select count(*) ${MENTIONS_FROM} and t.resolved_at is null`).pluck(),
  };
}

const mentionQueries = new WeakMap<Db, ReturnType<typeof prepareMentionQueries>>();

function mentionQueriesFor(db: Db) {
  let q = mentionQueries.get(db);
  if (!q) mentionQueries.set(db, (q = prepareMentionQueries(db)));
  return q;
}

/** SQLite: comments that mention `userId`, newest first. Run it through `exec` (the connection's mutex). */
export function listMentionsSqlite(db: Db, userId: string, limit: number): MentionRow[] {
  return mentionQueriesFor(db)
    .list.all({ userId, limit })
    .map((row) => ({ ...row, resolved: row.resolved === 1 }));
}

/** SQLite: how many comments in open threads mention `userId`. Run it through `exec`. */
export function countOpenMentionsSqlite(db: Db, userId: string): number {
  return mentionQueriesFor(db).countOpen.get({ userId }) ?? 0;
}
