import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { HistoryList } from "../components/history-list";
import { requireUser } from "../utils/auth.server";
import { recordAudit } from "../utils/audit.server";
import { authorsById, parseSeq, requireHistory, requireVersion, versionSummary } from "../utils/history.server";
import { VERSION_NAME_MAX } from "../utils/history-format";
import { canEditBody, requireBriefingRole, roleAtLeast } from "../utils/permissions.server";
import { readStoredDocument } from "../utils/stored-document.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `History · ${data.briefing.title}` : "History" }];

/** Every version of a briefing, newest first: any member may read the history. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { briefing, role } = await requireBriefingRole(context, params.briefingId, user);
  const history = requireHistory(context);
  // Compare comes next: its thread starts now, while the page is read (ADR 0110, 2026-12-03).
  history.warm(briefing.id);
  const versions = await history.list(briefing.id);
  const authors = await authorsById(context, versions.flatMap((v) => [...v.authors, ...(v.createdBy ? [v.createdBy] : [])]));
  return json({
    briefing: { id: briefing.id, title: briefing.title, status: briefing.status },
    // Restoring changes the body, so it needs the same right as editing it (not while final).
    canRestore: canEditBody(role, briefing),
    canName: roleAtLeast(role, "editor"),
    versions: versions.map((v) => versionSummary(v, authors)),
  });
}

const Intent = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("save"),
    name: z.string().trim().min(1, "Give the version a name.").max(VERSION_NAME_MAX, `A version name has at most ${VERSION_NAME_MAX} characters.`),
  }),
  z.object({ intent: z.literal("restore"), version: z.string() }),
  z.object({ intent: z.literal("read") }),
]);

/**
 * POST /briefings/:id/history with `intent=save&name=…` (a named version), `intent=restore&version=<n>`
 * (editors and owners; 403 otherwise, 409 while final) or `intent=read` (any member: marks the
 * briefing read). 400 for a malformed form, 404 for an unknown version.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { briefing, role } = await requireBriefingRole(context, params.briefingId, user);
  const history = requireHistory(context);
  const parsed = Intent.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ ok: false as const, error: parsed.error.issues[0].message }, { status: 400 });
  const form = parsed.data;
  if (form.intent === "read") {
    await readStoredDocument(() => history.markRead(briefing.id, user.id));
    return json({ ok: true as const, intent: "read" });
  }
  if (!roleAtLeast(role, "editor")) {
    throw new Response(`${form.intent === "save" ? "Naming" : "Restoring"} a version needs the editor role; you are ${role}.`, { status: 403 });
  }
  if (form.intent === "save") {
    const v = await readStoredDocument(() => history.takeVersion(briefing.id, "named", form.name, user.id));
    context.logger.info("history", "version named", { briefingId: briefing.id, userId: user.id, seq: v.seq });
    return json({ ok: true as const, intent: "save", version: v.seq });
  }
  const seq = parseSeq(form.version);
  await requireVersion(history, briefing, seq);
  if (briefing.status === "final") return json({ ok: false as const, error: "A final briefing cannot change; reopen it to restore a version." }, { status: 409 });
  const result = await readStoredDocument(() => history.restore({ id: briefing.id, teamId: briefing.teamId, final: false }, seq, user.id));
  if (!result) throw new Response(`Version ${seq} not found.`, { status: 404 });
  await recordAudit(context, user, {
    action: "briefing.restored",
    teamId: briefing.teamId,
    briefingId: briefing.id,
    target: briefing.title,
    details: { restoredVersion: seq, newVersion: result.version.seq, blocksDeleted: result.deleted, blocksInserted: result.inserted },
  });
  return json({ ok: true as const, intent: "restore", version: result.version.seq });
}

export default function HistoryPage() {
  const data = useLoaderData<typeof loader>();
  return (
    <div className="history-page">
      <p className="muted breadcrumb">
        <Link to={`/briefings/${data.briefing.id}`}>{data.briefing.title}</Link>
      </p>
      <div className="page-header">
        <h1>History</h1>
      </div>
      <HistoryList briefingId={data.briefing.id} versions={data.versions} canRestore={data.canRestore} canName={data.canName} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
