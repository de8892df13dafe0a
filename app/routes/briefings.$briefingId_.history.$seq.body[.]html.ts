import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "../utils/auth.server";
import { historyExportInfo, htmlPayload, parseSeq, requireHistory, requireVersion } from "../utils/history.server";
import { requireBriefingRole } from "../utils/permissions.server";
import { readStoredDocument } from "../utils/stored-document.server";

/**
 * GET /briefings/:id/history/:seq/body.html: the body of one version as the version page shows it,
 * from the model the PDF prints (utils/version-blocks.tsx). Any member; 400 for a malformed number,
 * 404 for an unknown version, 503 when the history threads are busy. Rebuilt and rendered in a
 * history thread and streamed unread (docs/decisions/0116).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { briefing } = await requireBriefingRole(context, params.briefingId, user);
  const history = requireHistory(context);
  const seq = parseSeq(params.seq);
  const v = await requireVersion(history, briefing, seq);
  const info = await historyExportInfo(context, briefing, v);
  const html = await readStoredDocument(() => history.view(briefing.id, seq, info));
  if (!html) throw new Response(`Version ${seq} not found.`, { status: 404 });
  return htmlPayload(html);
}
