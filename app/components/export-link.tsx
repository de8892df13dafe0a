import { useState, type MouseEvent, type ReactNode } from "react";

/**
 * A download link for an export that says why when the server refuses it. A plain `<a download>`
 * makes the browser drop a failed download without a word (a 422 naming the characters the fonts
 * cannot draw, a 503 while the renderers are busy, a 504 after the time limit), so with JavaScript
 * the file is fetched here and an error answer is shown next to the link. Without JavaScript the
 * link still downloads.
 */
export function ExportLink({ href, className = "button", children }: { href: string; className?: string; children: ReactNode }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });

  async function download(event: MouseEvent<HTMLAnchorElement>) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (state.busy) return;
    setState({ busy: true, error: null });
    try {
      const res = await fetch(href, { credentials: "same-origin" });
      if (!res.ok) {
        const text = (await res.text()).trim();
        setState({ busy: false, error: text && text.length < 2000 ? text : `The export failed (HTTP ${res.status}).` });
        return;
      }
      const blob = await res.blob();
      const name = /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") ?? "")?.[1] ?? `briefing.${/\.(\w+)(\?|$)/.exec(href)?.[1] ?? "pdf"}`;
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setState({ busy: false, error: null });
    } catch {
      setState({ busy: false, error: "The export could not reach the server. Check the connection and try again." });
    }
  }

  return (
    <>
      <a className={className} href={href} download onClick={download} aria-busy={state.busy || undefined}>
        {state.busy ? "Exporting…" : children}
      </a>
      {state.error ? (
        <p className="form-error export-error" role="alert">
          {state.error}
        </p>
      ) : null}
    </>
  );
}
