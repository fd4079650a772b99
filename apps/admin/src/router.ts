import { useEffect, useState } from "preact/hooks";

/** Moves to another page of the site without a reload. */
export function navigate(path: string): void {
  history.pushState(null, "", path);
  dispatchEvent(new PopStateEvent("popstate"));
}

/** The current path and query, updated on navigation and on back/forward. */
export function useLocation(): URL {
  const [url, setUrl] = useState(() => new URL(location.href));
  useEffect(() => {
    const update = () => setUrl(new URL(location.href));
    addEventListener("popstate", update);
    return () => removeEventListener("popstate", update);
  }, []);
  return url;
}

/** Same-origin links that navigate in place; modified clicks open as the browser would. */
export function followLink(event: MouseEvent): void {
  const anchor = (event.target as Element | null)?.closest?.("a");
  if (!anchor || anchor.origin !== location.origin || anchor.target) return;
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(anchor.pathname + anchor.search);
}
