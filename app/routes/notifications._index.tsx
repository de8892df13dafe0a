import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { isValidId } from "../../db/ids";
import { requireUser } from "../utils/auth.server";
import { notFound } from "../utils/errors";
import { listNotifications, markAllRead, markRead } from "../utils/notifications.server";
import { remindDueReviews } from "../utils/review-reminders.server";

export const meta: MetaFunction = () => [{ title: "Notifications · Summit Desk" }];

const NOTIFICATIONS_SHOWN = 100;

/** GET /notifications: the signed-in user's notifications, newest first (due reminders computed now). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  await remindDueReviews(context.store, user.id);
  return json({ notifications: await listNotifications(context.store, user.id, NOTIFICATIONS_SHOWN) });
}

/** POST /notifications with intent=read&id=… (one, then follow its link) or intent=read-all. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "read-all") {
    await markAllRead(context.store, user.id);
    return json({ ok: true });
  }
  if (intent === "read") {
    const id = form.get("id");
    if (!isValidId(id) || !(await markRead(context.store, user.id, id))) throw notFound("Notification");
    return json({ ok: true });
  }
  return json({ ok: false, error: "Choose read or read-all." }, { status: 400 });
}

const timeFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

export default function Notifications() {
  const { notifications } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  // A ref, so a new revalidate function after each load does not reopen the stream.
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  // New notifications arrive while the list is open: read it again when the count changes.
  useEffect(() => {
    const source = new EventSource("/notifications/events");
    let first = true;
    source.onmessage = () => {
      if (first) first = false;
      else revalidate.current();
    };
    return () => source.close();
  }, []);
  const unread = notifications.filter((n) => !n.read).length;
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Notifications</h1>
          <p className="muted">Mentions, reviews you were asked for, approvals reset by an edit, briefings finalized, reviews due.</p>
        </div>
        {unread > 0 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="read-all" />
            <button type="submit" className="button">
              Mark all read
            </button>
          </Form>
        ) : null}
      </div>
      {notifications.length === 0 ? (
        <p className="card empty">Nothing yet. When someone mentions you or asks you to review a briefing, it shows up here.</p>
      ) : (
        <ul className="notification-list mention-list">
          {notifications.map((n) => (
            <li key={n.id} className={`card notification-item${n.read ? " is-read" : " is-unread"}`} data-kind={n.kind}>
              <p>
                <Link to={n.link}>{n.text}</Link>
              </p>
              <p className="small muted">
                <time dateTime={new Date(n.createdAt).toISOString()}>{timeFormat.format(n.createdAt)} UTC</time>
                {n.read ? " · read" : null}
              </p>
              {!n.read ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="read" />
                  <input type="hidden" name="id" value={n.id} />
                  <button type="submit" className="link-button">
                    Mark read
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
