import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonWithPayload, requireComparison } from "../utils/history.server";
import { readStoredDocument } from "../utils/stored-document.server";

/**
 * GET /briefings/:id/history/compare.json?a=<n>&b=<m>: the comparison as data (server/history/compare.ts
 * `Comparison`: blocks with their segments, parts and moves, and the changed fields), with the
 * authors' names and colours. Any member; 400 for a malformed number, 404 for an unknown version,
 * 503 when the history threads are busy. The JSON is built in a history thread and streamed as it
 * arrives (docs/decisions/0116).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { briefing, history, a, b, authors } = await requireComparison({ request, params, context });
  const comparison = await readStoredDocument(async () => history.compare(briefing.id, a, b, "json", authors));
  if (!comparison) throw new Response("Version not found.", { status: 404 });
  return jsonWithPayload({ a, b, authors }, "comparison", comparison, { headers: { "Cache-Control": "private, no-store" } });
}
