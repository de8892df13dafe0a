import { useFetcher } from "@remix-run/react";
import { formatWhen } from "../utils/history-format";

export interface SinceLastReadInfo {
  readAt: string;
  changes: number;
  authors: string[];
  /** Base64 of the Yjs state vector at the last read: text newer than it is what changed. */
  stateVector: string;
}

/** The window event the editor listens to for highlighting text newer than a state vector. */
export const HIGHLIGHT_SINCE_EVENT = "summit:highlight-since";

/**
 * "3 changes by Emre, Dana since you last read on 28 Nov": Highlight marks the new text in the
 * editor; Mark read tells the server this person has seen the briefing as it is now.
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
      <button type="button" className="button small" onClick={() => window.dispatchEvent(new CustomEvent(HIGHLIGHT_SINCE_EVENT, { detail: info.stateVector }))}>
        Highlight changes
      </button>
      <fetcher.Form method="post" action={`/briefings/${briefingId}/history?index`}>
        <input type="hidden" name="intent" value="read" />
        <button type="submit" className="button small" disabled={fetcher.state !== "idle"}>
          Mark read
        </button>
      </fetcher.Form>
    </div>
  );
}
