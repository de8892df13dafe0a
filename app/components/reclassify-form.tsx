import { useFetcher } from "@remix-run/react";
import { useEffect, useState } from "react";
import type { ClassificationLevel } from "../../extensions/portion-mark/levels";

/**
 * Owners change the brief's minimum level with a written reason, also when final (the server
 * records a marking version and an audit row; it refuses a change without a reason).
 */
export function ReclassifyForm({ briefingId, minimum, levels }: { briefingId: string; minimum: string; levels: ClassificationLevel[] }) {
  const fetcher = useFetcher<{ ok?: boolean; version?: number }>();
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) setOpen(false);
  }, [fetcher.state, fetcher.data]);
  if (!open) {
    return (
      <button type="button" className="button small" onClick={() => setOpen(true)}>
        Reclassify…
      </button>
    );
  }
  const error = fetcher.data && !fetcher.data.ok ? "The level was not changed: choose another level and give a reason." : null;
  return (
    <fetcher.Form method="post" action={`/briefings/${briefingId}/reclassify`} className="reclassify-form card">
      <label>
        Minimum level{" "}
        <select name="to" defaultValue={minimum}>
          {levels.map((l) => (
            <option key={l.name} value={l.name}>
              {l.name} ({l.abbr})
            </option>
          ))}
        </select>
      </label>
      <label>
        Reason (recorded in the marking history and the audit trail)
        <textarea name="reason" required maxLength={1000} rows={2} />
      </label>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button small primary" disabled={fetcher.state !== "idle"}>
        Reclassify
      </button>
      <button type="button" className="button small" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </fetcher.Form>
  );
}
