import { Link, useFetcher } from "@remix-run/react";
import { useEffect, useState, useSyncExternalStore } from "react";
import { sinceReadTarget, subscribeSinceReadTarget, type SinceReadAuthor } from "../editor/since-read-channel";
import { formatWhen } from "../utils/history-format";
import { SinceReadCounts, type SinceReadCount } from "./since-read-counts";

export interface SinceLastReadInfo {
  readAt: string;
  changes: number;
  authors: string[];
  /** Base64 of the Yjs state vector at the last read: text newer than it is what changed. */
  stateVector: string;
  /** Yjs client id → author of the text typed through it since; null for the reader's own. */
  clients: Record<string, SinceReadAuthor | null>;
  /** Runs deleted since, which the editor cannot show inline. */
  deletions: number;
  /** Characters each person added (and still there) and deleted since, counted exactly on the server. */
  byAuthor: SinceReadCount[];
  /** The versions to compare for the whole change (last read → latest), when there are two. */
  compare: { a: number; b: number } | null;
}

function decodeBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/**
 * "3 changes by Emre, Dana since you last read on 28 Nov": Highlight changes marks the text
 * typed since in the open editor (each author's colour), Mark read tells the server this person
 * has seen the briefing as it is now and takes the marks away. Deletions are only counted, with
 * a link to Compare.
 */
export function SinceLastReadBanner({ briefingId, info }: { briefingId: string; info: SinceLastReadInfo }) {
  const fetcher = useFetcher<{ ok: boolean }>();
  const editorOpen = useSyncExternalStore(subscribeSinceReadTarget, () => sinceReadTarget() !== null, () => false);
  const [marked, setMarked] = useState<number | null>(null);
  const read = Boolean(fetcher.data?.ok);
  // Marked read, or leaving the page: the highlight goes with the banner.
  useEffect(() => {
    if (read) sinceReadTarget()?.clear();
  }, [read]);
  useEffect(() => () => sinceReadTarget()?.clear(), []);
  if (read) return null;
  const names = info.authors.join(", ");
  const toggle = () => {
    const target = sinceReadTarget();
    if (!target) return;
    if (marked !== null) {
      target.clear();
      setMarked(null);
    } else {
      setMarked(target.highlight({ stateVector: decodeBase64(info.stateVector), clients: info.clients }));
    }
  };
  return (
    <div className="since-last-read card" role="status">
      <span>
        {info.changes} {info.changes === 1 ? "change" : "changes"} by {names} since you last read on {formatWhen(info.readAt)}
        {info.deletions > 0 ? (
          <>
            , with {info.deletions} {info.deletions === 1 ? "deletion" : "deletions"}
            {info.compare ? (
              <>
                {" "}
                (<Link to={`/briefings/${briefingId}/history/compare?a=${info.compare.a}&b=${info.compare.b}`}>compare</Link>)
              </>
            ) : null}
          </>
        ) : null}
        <SinceReadCounts counts={info.byAuthor} />
        {marked !== null ? <span className="muted"> · {marked === 0 ? "no added text to show" : `${marked} highlighted`}</span> : null}
      </span>
      <button type="button" className="button small" onClick={toggle} disabled={!editorOpen} aria-pressed={marked !== null}>
        {marked !== null ? "Hide highlights" : "Highlight changes"}
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
