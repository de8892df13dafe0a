import { Link } from "@remix-run/react";
import { useEffect, useState } from "react";

/**
 * The top bar's link to /notifications with the unread count: the server's number at load, then
 * the live stream's (GET /notifications/events) as notifications arrive or are read.
 */
export function NotificationBell({ initial }: { initial: number }) {
  const [unread, setUnread] = useState(initial);
  useEffect(() => setUnread(initial), [initial]);
  useEffect(() => {
    const source = new EventSource("/notifications/events");
    source.onmessage = (e: MessageEvent<string>) => {
      try {
        const data = JSON.parse(e.data) as { unread?: number };
        if (typeof data.unread === "number") setUnread(data.unread);
      } catch {
        // a malformed message changes nothing
      }
    };
    return () => source.close();
  }, []);
  return (
    <Link to="/notifications" className="notification-bell" data-unread={unread} aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"}>
      Notifications{unread ? <span className="count-badge">{unread}</span> : null}
    </Link>
  );
}
