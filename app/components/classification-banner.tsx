/**
 * The brief's level in the editor header: the server's value at load, then the level the editor
 * derives as portion marks change (display only; exports compute it from the stored document).
 */
export function ClassificationBanner({ level }: { level: string }) {
  return (
    <span className="classification" data-testid="classification-banner" aria-live="polite">
      {level}
    </span>
  );
}
