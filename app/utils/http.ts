import type { HeadersFunction } from "@remix-run/node";

/** Route `headers` export that passes an action's Retry-After (rate limits) through to the document response. */
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};
