import { sql, type SQL } from "drizzle-orm";

/**
 * The mention queries of db/dialect/sqlite/mentions.ts on PostgreSQL: `mentions` is jsonb, so the
 * membership test is `?` (a top-level string of the array) instead of `json_each`. Times come back
 * as epoch milliseconds and counts as integers, as SQLite returns them.
 */
function mentionsFrom(userId: string): SQL {
  return sql`
    from comments c
    join comment_threads t on t.id = c.thread_id
    join briefings b on b.id = t.briefing_id
    join memberships ms on ms.team_id = b.team_id and ms.user_id = ${userId}
    left join users u on u.id = c.author_id
   where c.body <> '' and (c.author_id is null or c.author_id <> ${userId})
     and c.mentions ? ${userId}`;
}

export function listMentionsPg(userId: string, limit: number): SQL {
  return sql`select c.id as "commentId", c.thread_id as "threadId", t.briefing_id as "briefingId", b.title as "briefingTitle",
              (select name from teams where id = b.team_id) as "teamName", u.name as "authorName", u.color as "authorColor",
              c.body as "body", t.quoted_text as "quotedText", (extract(epoch from c.created_at) * 1000)::float8 as "createdAt",
              t.resolved_at is not null as "resolved"
       ${mentionsFrom(userId)}
       order by c.created_at desc
       limit ${limit}`;
}

export function countOpenMentionsPg(userId: string): SQL {
  return sql`select count(*)::int as "n" ${mentionsFrom(userId)} and t.resolved_at is null`;
}
