import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { lazy, Suspense, useCallback, useEffect, useState } from "react";
import { STATUS_LABELS } from "../../../db/enums";
import { BriefingActions } from "../../components/briefing-actions";
import { ReviewPanel } from "../../components/review-panel";
import { reviewPanelData } from "../../utils/review-view.server";
import { GeneralErrorBoundary } from "../../components/error-boundary";
import { ClassificationBanner } from "../../components/classification-banner";
import { ReclassifyForm } from "../../components/reclassify-form";
import { briefingLevel, teamLevels } from "../../utils/classification.server";
import { SinceLastReadBanner } from "../../components/since-last-read";
import { sinceLastReadFor } from "../../utils/history.server";
import { requireUser } from "../../utils/auth.server";
import { getTeam, getVersion, listMembers } from "../../utils/db.server";
import editorStylesHref from "../../styles/editor.css";
import { canEditBody, canExport, requireBriefingRole, roleAtLeast } from "../../utils/permissions.server";
import { verifyStoredDocument } from "../../utils/stored-document.server";
import type { BriefingEvent } from "../../comments/types";

const BriefingEditor = lazy(() => import("../../editor/briefing-editor.client"));

export const links: LinksFunction = () => [{ rel: "stylesheet", href: editorStylesHref }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.briefing.title} · Summit Desk` : "Briefing · Summit Desk" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { briefing, role } = await requireBriefingRole(context, params.briefingId, user);
  const team = (await getTeam(context.store, briefing.teamId))!;
  // A damaged stored document is a 503 page, not an editor that would sync an empty or partial body.
  await verifyStoredDocument(context, briefing.id);
  return json({
    briefing,
    team: { id: team.id, name: team.name },
    // The brief's level as the server knows it (minimum level or highest stored portion mark).
    levels: teamLevels(team),
    level: briefingLevel(teamLevels(team), briefing),
    role,
    user: { id: user.id, name: user.name, color: user.color },
    // Owners of agenda topics are picked from the team; only what the picker shows is sent.
    members: (await listMembers(context.store, team.id)).map((m) => ({ userId: m.userId, name: m.name, role: m.role, color: m.color })),
    // Who Send for review offers as approvers: members who may comment, never the requester
    // (the server refuses a request they approve themselves).
    reviewCandidates: (await listMembers(context.store, team.id))
      .filter((m) => m.role !== "viewer" && m.userId !== user.id)
      .map((m) => ({ userId: m.userId, name: m.name, role: m.role })),
    factStaleMonths: context.config.FACT_STALE_MONTHS,
    // The editor splits large changes and paces its sending under these, and refuses a paste
    // larger than half a message (app/editor/paced-sender.ts, paste-guard.ts).
    collabLimits: {
      maxMessageBytes: context.config.COLLAB_MAX_MESSAGE_BYTES,
      bytesPerSecond: context.config.COLLAB_MAX_BYTES_PER_SECOND,
      burstBytes: Math.max(context.config.COLLAB_MAX_BYTES_BURST, context.config.COLLAB_MAX_MESSAGE_BYTES),
    },
    // Finalizing records a version; its author is who froze the text.
    // The review's approvers and decisions per section, while it is in review.
    review: briefing.status === "in_review" ? await reviewPanelData(context.store, briefing) : null,
    finalizedBy: briefing.status === "final" ? ((await getVersion(context.store, briefing.id, null))?.createdByName ?? null) : null,
    sinceLastRead: await sinceLastReadFor(context, briefing.id, user.id),
    permissions: {
      editBody: canEditBody(role, briefing),
      comment: roleAtLeast(role, "commenter"),
      changeStatus: roleAtLeast(role, "editor"),
      export: await canExport(context, briefing, role),
    },
  });
}

/** The editor is client-only: it loads after hydration so the page paints first. */
function useHydrated() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

export default function BriefingPage() {
  const data = useLoaderData<typeof loader>();
  const { briefing, team } = data;
  const hydrated = useHydrated();
  const revalidator = useRevalidator();
  // The collaboration server changed this user's access: re-run the loader for the new role.
  const onAccessChanged = useCallback(() => revalidator.revalidate(), [revalidator]);
  const [deletedBy, setDeletedBy] = useState<string | null>(null);
  const [level, setLevel] = useState(data.level);
  useEffect(() => setLevel(data.level), [data.level]);
  // Someone moved the briefing along or deleted it: the loader has the new status, actions and rights.
  const onBriefingEvent = useCallback(
    (event: BriefingEvent) => {
      if (event.type === "deleted") setDeletedBy(event.byName);
      else revalidator.revalidate();
    },
    [revalidator],
  );
  return (
    <div className="briefing-page">
      <div className="page-header">
        <div>
          <p className="muted breadcrumb">
            <Link to={`/teams/${team.id}`}>{team.name}</Link>
          </p>
          <h1>{briefing.title}</h1>
          <p className="muted">
            {briefing.summitName} · {briefing.city} · {briefing.startDate}
            {briefing.endDate !== briefing.startDate ? ` – ${briefing.endDate}` : ""}
          </p>
        </div>
        <div className="briefing-meta">
          <ClassificationBanner level={level} />
          <span className={`status-badge status-${briefing.status}`}>{STATUS_LABELS[briefing.status]}</span>
          <span className={`role-badge role-${data.role}`}>{data.role}</span>
          <Link to={`/briefings/${briefing.id}/history`}>History</Link>
        </div>
      </div>
      {deletedBy ? (
        <p className="editor-problem briefing-deleted" role="alert">
          {deletedBy} deleted this briefing. It is no longer available to anyone; nothing here is saved any more.
        </p>
      ) : (
        <BriefingActions
          briefing={briefing}
          role={data.role}
          canExport={data.permissions.export}
          reviewCandidates={data.reviewCandidates}
        />
      )}
      {data.role === "owner" && !deletedBy && (
        <ReclassifyForm briefingId={briefing.id} minimum={briefing.classification} levels={data.levels} />
      )}
      {data.sinceLastRead ? <SinceLastReadBanner briefingId={briefing.id} info={data.sinceLastRead} /> : null}
      {data.review && !deletedBy ? <ReviewPanel briefingId={briefing.id} review={data.review} userId={data.user.id} canDecide={data.permissions.comment} /> : null}
      {hydrated ? (
        <Suspense fallback={<p className="muted editor-loading">Loading the editor…</p>}>
          <BriefingEditor
            briefingId={briefing.id}
            teamId={team.id}
            user={data.user}
            editable={data.permissions.editBody}
            canComment={data.permissions.comment}
            role={data.role}
            status={briefing.status}
            members={data.members}
            factStaleMonths={data.factStaleMonths}
            collabLimits={data.collabLimits}
            finalizedBy={data.finalizedBy}
            onAccessChanged={onAccessChanged}
            onBriefingEvent={onBriefingEvent}
            levels={data.levels}
            minimumLevel={briefing.classification}
            onLevelChange={setLevel}
          />
        </Suspense>
      ) : (
        <p className="muted editor-loading">Loading the editor…</p>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
