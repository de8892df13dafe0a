import { useEffect, useState } from "react";

/**
 * HTML the server rendered in a history thread (a comparison, a version's body), fetched from its
 * own route after the page loads: megabytes of it in the page's loader data would be serialised,
 * escaped and parsed again on the server's event loop (docs/decisions/0116). Without script, the
 * link opens the same HTML on its own.
 */
export function StreamedHtml({ src, className, label }: { src: string; className: string; label: string }) {
  const [state, setState] = useState<{ html: string } | { error: string } | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    setState(null);
    fetch(src, { signal: controller.signal, headers: { Accept: "text/html" } })
      .then(async (res) => setState(res.ok ? { html: await res.text() } : { error: (await res.text()) || `The server answered ${res.status}.` }))
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setState({ error: err instanceof Error ? err.message : String(err) });
      });
    return () => controller.abort();
  }, [src]);
  if (state && "html" in state) return <div className={className} data-loaded="true" dangerouslySetInnerHTML={{ __html: state.html }} />;
  return (
    <div className={className} aria-busy={state ? undefined : true}>
      {state ? (
        <p className="form-error" role="alert">
          {state.error}
        </p>
      ) : (
        <p className="muted">Loading {label}…</p>
      )}
      <noscript>
        <a href={src}>Open the {label}</a>
      </noscript>
    </div>
  );
}
