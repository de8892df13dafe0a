import type { LoaderFunctionArgs } from "@remix-run/node";
import { htmlPayload, requireComparison } from "../utils/history.server";
import { readStoredDocument } from "../utils/stored-document.server";

/**
 * GET /briefings/:id/history/compare.html?a=<n>&b=<m>: the comparison as the compare page shows it
 * (changed fields side by side, the newer body with insertions, deletions and moves in each
 * author's colour; server/history/compare-html.ts), which the page inserts. Any member; 400, 404
 * and 503 as compare.json. Rendered in a history thread and streamed unread (docs/decisions/0116).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { briefing, history, a, b, authors } = await requireComparison({ request, params, context });
  const started = performance.now();
  const html = await readStoredDocument(async () => history.compare(briefing.id, a, b, "html", authors));
  if (!html) throw new Response("Version not found.", { status: 404 });
  context.logger.debug("history", "compared", { briefingId: briefing.id, a, b, ms: Math.round(performance.now() - started), bytes: html.byteLength });
  return htmlPayload(html);
}
