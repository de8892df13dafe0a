import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "../utils/auth.server";
import { authorsBetween, jsonWithPayload, parseSeq, requireHistory, requireVersion } from "../utils/history.server";
import { requireBriefingRole } from "../utils/permissions.server";
import { readStoredDocument } from "../utils/stored-document.server";

/**
 * GET /briefings/:id/history/compare.json?a=<n>&b=<m>: the comparison as data (server/history/compare.ts
 * `Comparison`: blocks with their segments, parts and moves, and the changed fields), with the
 * authors' names and colours. Any member; 400 for a malformed number, 404 for an unknown version,
 * 503 when the history threads are busy. The JSON is built in a history thread and streamed as it
 * arrives (docs/decisions/0116).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { briefing } = requireBriefingRole(context, params.briefingId, user);
  const history = requireHistory(context);
  const url = new URL(request.url);
  let a = parseSeq(url.searchParams.get("a"), "a");
  let b = parseSeq(url.searchParams.get("b"), "b");
  if (a > b) [a, b] = [b, a];
  requireVersion(history, briefing, a);
  requireVersion(history, briefing, b);
  const authors = authorsBetween(context, history, briefing.id, a, b);
  const comparison = await readStoredDocument(async () => history.compare(briefing.id, a, b, "json", authors));
  if (!comparison) throw new Response("Version not found.", { status: 404 });
  return jsonWithPayload({ a, b, authors }, "comparison", comparison, { headers: { "Cache-Control": "private, no-store" } });
}
