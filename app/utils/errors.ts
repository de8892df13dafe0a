/** Typed HTTP errors thrown from loaders and actions; the route ErrorBoundary shows their message. */
export function notFound(what = "Page"): Response {
  return new Response(`${what} not found.`, { status: 404, statusText: "Not Found" });
}

export function forbidden(message: string): Response {
  return new Response(message, { status: 403, statusText: "Forbidden" });
}

export function badRequest(message: string): Response {
  return new Response(message, { status: 400, statusText: "Bad Request" });
}

export function serviceUnavailable(message: string): Response {
  return new Response(message, { status: 503, statusText: "Service Unavailable", headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
