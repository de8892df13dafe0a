import type { AppLoadContext } from "@remix-run/node";
import { listSuggestions } from "../../db/queries/suggestions";
import { getTeam } from "../../db/queries/teams";
import { parseLevels } from "../../extensions/portion-mark/levels";
import type { Briefing } from "../../db/schema";
import { getClearance, getVersion, type StoredVersion } from "../../db/queries/versions";
import { PdfExportError } from "../../server/export/errors";
import { updateToJSON } from "../../server/export/document-json";
import { frameUpdates } from "../../server/export/update-frames";
import { buildExportModel, type ExportInfo } from "../../server/export/model";
import type { RenderJob } from "../../server/export/worker-protocol";
import type { CurrentUser } from "./auth.server";
import { recordExport } from "./audit.server";
import { briefingFields } from "./content-hash.server";
import { badRequest, notFound } from "./errors";
import { readStoredDocument } from "./stored-document.server";

/** `?suggestions=markup|clean` (default clean): whether a draft export shows open suggestions. Anything else is a 400. */
export function parseSuggestionsParam(url: URL): boolean {
  const raw = url.searchParams.get("suggestions");
  if (raw === null || raw === "" || raw === "clean") return false;
  if (raw === "markup") return true;
  throw badRequest("`suggestions` must be `markup` or `clean`.");
}

/**
 * The job carrying the open suggestions for the render process or export thread to write in: the
 * markup needs a document built from the whole state, which is built there, off the event loop.
 */
export async function withOpenSuggestionsListed(context: AppLoadContext, briefing: Briefing, job: RenderJob): Promise<RenderJob> {
  const open = (await listSuggestions(context.store, briefing.id)).filter((s) => s.status === "open");
  // Who made each one, in the markup's numbering: Word's tracked changes and Markdown credit them.
  const suggestions = open.map((s) => ({ author: s.authorName ?? "Unknown", createdAt: s.createdAt.toISOString() }));
  const markup = open.map(({ kind, anchorStart, anchorEnd, originalText, replacement }) => ({ kind, anchorStart, anchorEnd, originalText, replacement }));
  return { ...job, markup, info: { ...job.info, suggestionMarkup: true, suggestions } };
}

/** `?version=<n>`: a positive integer, or null when absent. Anything else is a 400. */
export function parseVersionParam(url: URL): number | null {
  const raw = url.searchParams.get("version");
  if (raw === null || raw === "") return null;
  if (!/^[1-9]\d{0,8}$/.test(raw)) throw badRequest("`version` must be a positive whole number.");
  return Number(raw);
}

/** A file name safe in any browser: ASCII letters, digits and dashes from the title. */
export function pdfFileName(title: string, suffix: string): string {
  return exportFileName(title, suffix, "pdf");
}

/** The same for any export format: `<title>-<suffix>.<extension>`. */
export function exportFileName(title: string, suffix: string, extension: string): string {
  const slug = title
    .replace(/ı/g, "i")
    .replace(/İ/g, "I")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80);
  return `${slug || "briefing"}-${suffix}.${extension}`;
}

async function infoFor(context: AppLoadContext, briefing: Briefing, version: StoredVersion | null): Promise<ExportInfo> {
  const d = version?.details ?? {};
  const pick = (k: keyof Briefing & string) => (typeof d[k] === "string" ? d[k] : String(briefing[k] ?? ""));
  const team = await getTeam(context.store, briefing.teamId);
  return {
    title: version?.title ?? briefing.title,
    summitName: pick("summitName"),
    city: pick("city"),
    startDate: pick("startDate"),
    endDate: pick("endDate"),
    // The current marking, also for a stored version: reclassifying changes how a final brief is
    // marked, not its text or hash (ADR 0406). The template raises it to the highest portion mark.
    classification: briefing.classification,
    levels: team ? parseLevels(team.classificationLevels) : undefined,
    status: version ? "final" : briefing.status,
    team: team?.name ?? "",
    exportedAt: new Date(),
    staleMonths: context.config.FACT_STALE_MONTHS,
    version: version
      ? { number: version.version, contentHash: version.contentHash, createdAt: version.createdAt, createdBy: version.createdByName }
      : null,
    clearance: version ? await getClearance(context.store, briefing.id, version.version) : null,
  };
}

/**
 * What an export prints, for every format: a stored final version when `version` is given (or
 * when the briefing is final, its latest version), else the live document, marked DRAFT. 404 for
 * an unknown version; 503 (thrown) when the live document cannot be read.
 */
export async function exportSource(
  context: AppLoadContext,
  briefing: Briefing,
  requested: number | null,
): Promise<{ job: RenderJob; stored: StoredVersion | null }> {
  let stored: StoredVersion | null = null;
  if (requested !== null) {
    stored = (await getVersion(context.store, briefing.id, requested)) ?? null;
    if (!stored) throw notFound(`Version ${requested}`);
  } else if (briefing.status === "final") {
    stored = (await getVersion(context.store, briefing.id, null)) ?? null;
  }
  if (stored) return { job: { update: new Uint8Array(stored.snapshot), info: await infoFor(context, briefing, stored) }, stored };
  const collab = context.services.collab;
  if (!collab) {
    throw new Response("The collaboration service is not running, so the document cannot be read.", {
      status: 503,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  // What storage or the room already holds, applied in the export's own process or thread: a
  // loaded room's changed document is not encoded, nor a stored log merged, on the event loop (ADR 0408).
  const parts = await readStoredDocument(() => collab.getStateParts(briefing.id));
  const body = parts.length === 1 ? { update: parts[0] } : { updates: frameUpdates(parts) };
  return { job: { ...body, info: await infoFor(context, briefing, null) }, stored: null };
}

/**
 * The PDF response for a briefing: a stored final version when `version` is given (or when the
 * briefing is final, its latest version), else the live document watermarked DRAFT. Rendering
 * happens in the PDF service's child processes.
 */
export async function exportBriefingPdf(
  context: AppLoadContext,
  briefing: Briefing,
  user: CurrentUser,
  requested: number | null,
  options: { suggestionMarkup?: boolean } = {},
): Promise<Response> {
  const pdfService = context.services.pdf;
  if (!pdfService) return new Response("PDF export is not available on this server.", { status: 503 });
  const source = await exportSource(context, briefing, requested);
  const { stored } = source;
  // Suggestions are part of a draft only: a stored final version prints as it was frozen. A draft's
  // hash for the audit trail is computed by the render process, as is the markup (ADR 0407).
  const keyed = { ...source.job, key: briefing.id };
  const draft = stored ? keyed : { ...keyed, hashFields: briefingFields(briefing) };
  const job = options.suggestionMarkup && !stored ? await withOpenSuggestionsListed(context, briefing, draft) : draft;

  const fields = { briefingId: briefing.id, userId: user.id, version: stored?.version ?? null };
  try {
    const { pdf, stats, contentHash } = await pdfService.render(job);
    const hash = stored?.contentHash ?? contentHash;
    if (!hash) throw new PdfExportError("compile_failed", "The PDF renderer did not return the draft's content hash; try again.");
    await recordExport(context, { briefing, user, format: "pdf", version: stored?.version ?? null, contentHash: hash });
    context.logger.info("export", "pdf exported", { ...fields, pages: stats.pages, ms: stats.ms, cpuMs: stats.cpuMs, bytes: pdf.length });
    const name = pdfFileName(job.info.title, stored ? `v${stored.version}` : `draft-${job.info.exportedAt.toISOString().slice(0, 10)}`);
    // A stream of the one buffer: a Uint8Array body would be copied by the Response constructor,
    // and exports of ~0.5 MB each, back to back, make the collector pause live editing.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(pdf.buffer as ArrayBuffer, pdf.byteOffset, pdf.byteLength));
        controller.close();
      },
    });
    return new Response(body, {
      status: 200,
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="${name}"`,
        "Content-Length": String(pdf.length),
        "Cache-Control": "private, no-store",
      },
    });
  } catch (err) {
    if (err instanceof PdfExportError) {
      context.logger.warn("export", "pdf export failed", { ...fields, code: err.code });
      return new Response(err.message, { status: err.httpStatus, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    }
    throw err;
  }
}

/** A stored version as template data, for the read-only view (same model the PDF prints). */
export async function versionView(context: AppLoadContext, briefing: Briefing, version: number) {
  const stored = await getVersion(context.store, briefing.id, version);
  if (!stored) throw notFound(`Version ${version}`);
  const info = await infoFor(context, briefing, stored);
  return buildExportModel(updateToJSON(new Uint8Array(stored.snapshot)), info);
}
