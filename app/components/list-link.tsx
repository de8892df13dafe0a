import { useNavigate } from "@remix-run/react";
import { useCallback, type MouseEvent } from "react";

/**
 * A click handler for plain anchors repeated down a long list (the History list's 200 versions):
 * Remix's `<Link>` resolves its path against the route matches on every render (a JSON string of
 * the matches, path parsing), which made those links most of the list's server render. The anchor
 * carries an absolute `href`; a plain left click navigates client-side, as `<Link>` would, and
 * anything else (a new tab, a modifier key) is left to the browser.
 */
export function useListNavigate() {
  const navigate = useNavigate();
  return useCallback(
    (e: MouseEvent<HTMLAnchorElement>) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      navigate(e.currentTarget.getAttribute("href")!);
    },
    [navigate],
  );
}
