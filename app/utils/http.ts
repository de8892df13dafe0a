import type { HeadersFunction } from "@remix-run/node";

/** Route `headers` export that passes an action's Retry-After (rate limits) through to the document response. */
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : {};
};
