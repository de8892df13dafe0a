import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listMentions } from "../utils/comments.server";
import { getUserById } from "../utils/db.server";
import { splitBody } from "../comments/mentions";
import { requireUser } from "../utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Mentions · Summit Desk" }];

const MENTIONS_SHOWN = 50;

/** GET /mentions: the comments that @mention the signed-in user, newest first, across their teams. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const mentions = await listMentions(context.store, user.id, MENTIONS_SHOWN);
  // Bodies keep mentions as <@id> tokens; show them as @Name, as plain text. Each name is looked up once.
  const names = new Map<string, string>([[user.id, user.name]]);
  for (const m of mentions) {
    for (const p of splitBody(m.body)) {
      if (p.kind !== "text" && !names.has(p.userId)) names.set(p.userId, (await getUserById(context.store, p.userId))?.name ?? "former member");
    }
  }
  const nameOf = (id: string) => names.get(id)!;
  return json({
    mentions: mentions.map((m) => ({
      ...m,
      text: splitBody(m.body)
        .map((p) => (p.kind === "text" ? p.text : `@${nameOf(p.userId)}`))
        .join(""),
    })),
  });
}

const timeFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

export default function Mentions() {
  const { mentions } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Mentions</h1>
          <p className="muted">Comments in your teams' briefings that mention you, newest first.</p>
        </div>
      </div>
      {mentions.length === 0 ? (
        <p className="card empty">Nobody has mentioned you yet. When a colleague writes @ and your name in a comment, it shows up here.</p>
      ) : (
        <ul className="mention-list">
          {mentions.map((m) => (
            <li key={m.commentId} className={`card mention-item${m.resolved ? " is-resolved" : ""}`}>
              <p className="small muted">
                <span className="dot" style={{ background: m.authorColor ?? "#94a3b8" }} aria-hidden /> <strong>{m.authorName ?? "Former member"}</strong> in{" "}
                <Link to={`/briefings/${m.briefingId}?thread=${m.threadId}`}>{m.briefingTitle}</Link> · {m.teamName} ·{" "}
                <time dateTime={new Date(m.createdAt).toISOString()}>{timeFormat.format(m.createdAt)} UTC</time>
                {m.resolved && <span className="pill-inline"> · resolved</span>}
              </p>
              <blockquote className="thread-quote">{m.quotedText}</blockquote>
              <p className="comment-body">{m.text}</p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
