import { useFetcher } from "@remix-run/react";
import { formatWhen } from "../utils/history-format";

export interface SinceLastReadInfo {
  readAt: string;
  changes: number;
  authors: string[];
  /** Base64 of the Yjs state vector at the last read: text newer than it is what changed. */
  stateVector: string;
}

/**
 * "3 changes by Emre, Dana since you last read on 28 Nov"; Mark read tells the server this person
 * has seen the briefing as it is now. `stateVector` is sent for highlighting the new text.
 */
export function SinceLastReadBanner({ briefingId, info }: { briefingId: string; info: SinceLastReadInfo }) {
  const fetcher = useFetcher<{ ok: boolean }>();
  if (fetcher.data?.ok) return null;
  const names = info.authors.join(", ");
  return (
    <div className="since-last-read card" role="status">
      <span>
        {info.changes} {info.changes === 1 ? "change" : "changes"} by {names} since you last read on {formatWhen(info.readAt)}
      </span>
      <fetcher.Form method="post" action={`/briefings/${briefingId}/history?index`}>
        <input type="hidden" name="intent" value="read" />
        <button type="submit" className="button small" disabled={fetcher.state !== "idle"}>
          Mark read
        </button>
      </fetcher.Form>
    </div>
  );
}
