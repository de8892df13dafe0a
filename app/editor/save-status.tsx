import type { CollabSnapshot } from "./collab-provider";

const LABELS: Record<CollabSnapshot["save"], string> = {
  connecting: "Connecting…",
  saved: "Saved",
  saving: "Saving…",
  offline: "Offline — changes kept on this device",
  stopped: "Not connected",
};

/** Says, truthfully, whether the server has every change (see docs/decisions/0301). */
export function SaveStatus({ snapshot }: { snapshot: CollabSnapshot }) {
  let label = LABELS[snapshot.save];
  if (snapshot.save === "stopped" && snapshot.unconfirmed) label = "Not saved — changes kept on this device";
  return (
    <p className={`save-status save-${snapshot.save}`} role="status" aria-live="polite" data-testid="save-status" data-state={snapshot.save}>
      <span className="save-dot" aria-hidden />
      {label}
    </p>
  );
}
