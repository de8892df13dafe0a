import type { AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { inArray } from "drizzle-orm";
import type { Briefing } from "../../db/schema";
import { exec } from "../../db/store";
import type { HistoryService, VersionInfo } from "../../server/history/service";
import { getTeam } from "../../db/queries/teams";
import type { ExportInfo } from "../../server/export/model";
import { requireUser } from "./auth.server";
import { badRequest, notFound, serviceUnavailable } from "./errors";
import { requireBriefingRole } from "./permissions.server";
import { readStoredDocument } from "./stored-document.server";

/** The history service, or 503 when the server runs without it. */
export function requireHistory(context: AppLoadContext): HistoryService {
  const history = context.services.history;
  if (!history) throw serviceUnavailable("Version history is not available on this server.");
  return history;
}

/** A version number from the URL or a form: a positive whole number, else 400. */
export function parseSeq(raw: unknown, what = "version"): number {
  if (typeof raw !== "string" || !/^[1-9]\d{0,8}$/.test(raw)) throw badRequest(`\`${what}\` must be a positive whole number.`);
  return Number(raw);
}

/** The version, or 404. */
export async function requireVersion(history: HistoryService, briefing: Briefing, seq: number): Promise<VersionInfo> {
  const v = await history.get(briefing.id, seq);
  if (!v) throw notFound(`Version ${seq}`);
  return v;
}

export interface AuthorInfo {
  id: string;
  name: string;
  color: string;
}

/** Names and colours of the given user ids (deleted accounts are left out), on either dialect. */
export async function authorsById(context: AppLoadContext, ids: Iterable<string>): Promise<Record<string, AuthorInfo>> {
  const list = Array.from(new Set(ids));
  if (list.length === 0) return {};
  const rows = await exec(context.store, (db, t) => db.select({ id: t.users.id, name: t.users.name, color: t.users.color }).from(t.users).where(inArray(t.users.id, list)));
  return Object.fromEntries(rows.map((r) => [r.id, r]));
}

/** What the history list shows of a version. */
export function versionSummary(v: VersionInfo, authors: Record<string, AuthorInfo>) {
  return {
    seq: v.seq,
    kind: v.kind,
    name: v.name,
    authors: v.authors.map((id) => authors[id]).filter(Boolean),
    changeBytes: v.changeBytes,
    createdAt: v.createdAt.toISOString(),
    createdBy: v.createdBy ? (authors[v.createdBy]?.name ?? null) : null,
    finalVersion: v.finalVersion,
  };
}

/** The export model's facts for a history version: the briefing's fields now, DRAFT unless it is a final. */
export async function historyExportInfo(context: AppLoadContext, briefing: Briefing, v: VersionInfo): Promise<ExportInfo> {
  return {
    title: briefing.title,
    summitName: briefing.summitName,
    city: briefing.city,
    startDate: briefing.startDate,
    endDate: briefing.endDate,
    classification: briefing.classification,
    status: v.kind === "final" ? "final" : "draft",
    team: (await getTeam(context.store, briefing.teamId))?.name ?? "",
    exportedAt: new Date(),
    staleMonths: context.config.FACT_STALE_MONTHS,
    version: null,
  };
}

/** The full state of a version (404 unknown, 503 damaged). */
export async function versionState(history: HistoryService, briefing: Briefing, seq: number): Promise<Uint8Array> {
  const state = await readStoredDocument(async () => history.state(briefing.id, seq));
  if (!state) throw notFound(`Version ${seq}`);
  return state;
}

/** The banner's facts for the briefing page, with names; null when nothing changed or there is no history. */
export async function sinceLastReadFor(context: AppLoadContext, briefingId: string, userId: string) {
  const history = context.services.history;
  if (!history) return null;
  const since = await readStoredDocument(() => history.sinceLastRead(briefingId, userId));
  if (!since) return null;
  const latest = await history.store.latestSeq(briefingId);
  const names = await authorsById(context, [...since.authors, ...Object.values(since.clients), ...Object.keys(since.byAuthor).filter(Boolean)]);
  // Who typed through each Yjs client: the reader's own clients are null (their text is not news).
  const clients = Object.fromEntries(
    Object.entries(since.clients).map(([client, id]) => [client, id === userId ? null : { name: names[id]?.name ?? "someone", color: names[id]?.color ?? "#6b7280" }]),
  );
  return {
    readAt: since.readAt.toISOString(),
    changes: since.changes,
    authors: since.authors.map((id) => names[id]?.name ?? "someone"),
    stateVector: Buffer.from(since.stateVector).toString("base64"),
    clients,
    deletions: since.deletions,
    // Exact characters per person (the reader's own left out); "" is text nobody is credited with.
    byAuthor: Object.entries(since.byAuthor)
      .filter(([id, n]) => id !== userId && (n.inserted > 0 || n.deleted > 0))
      .map(([id, n]) => ({ name: id ? (names[id]?.name ?? "someone") : "someone", inserted: n.inserted, deleted: n.deleted })),
    // Compare from the version they read to the latest one.
    compare: since.seq > 0 && latest > since.seq ? { a: since.seq, b: latest } : null,
  };
}

/**
 * A JSON response of `head`'s fields plus `key`, whose value is `payload`: bytes a history thread
 * built as the final JSON (server/history/payload.ts). Streamed as they are: the event loop copies
 * them into the response and never parses or serialises them (docs/decisions/0116).
 */
export function jsonWithPayload(head: Record<string, unknown>, key: string, payload: Uint8Array, init: { headers?: Record<string, string> } = {}): Response {
  const open = JSON.stringify(head).slice(0, -1);
  const prefix = new TextEncoder().encode(`${open}${open.length > 1 ? "," : ""}${JSON.stringify(key)}:`);
  const suffix = new TextEncoder().encode("}");
  const parts = [prefix, payload, suffix];
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = parts.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { "Content-Type": "application/json; charset=utf-8", "Content-Length": String(prefix.byteLength + payload.byteLength + suffix.byteLength), ...init.headers },
  });
}

/** The versions between `a` and `b` (after the older, up to the newer): whose changes a comparison shows. */
export async function authorsBetween(context: AppLoadContext, history: HistoryService, briefingId: string, a: number, b: number): Promise<Record<string, AuthorInfo>> {
  const [older, newer] = a <= b ? [a, b] : [b, a];
  return authorsById(context, (await history.store.after(briefingId, older)).filter((v) => v.seq <= newer).flatMap((v) => v.authors));
}

/** HTML a history thread rendered (a comparison, a version's body), streamed as it is. */
export function htmlPayload(payload: Uint8Array): Response {
  return new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(payload);
        controller.close();
      },
    }),
    { status: 200, headers: { "Content-Type": "text/html; charset=utf-8", "Content-Length": String(payload.byteLength), "Cache-Control": "private, no-store" } },
  );
}

/**
 * What every compare request starts with (the page, compare.json, compare.html): a member of the
 * briefing, its history, the two version numbers `a` < `b` from the query (400 when malformed, 404
 * when unknown), and the authors of what changed between them.
 */
export async function requireComparison({ request, params, context }: Pick<LoaderFunctionArgs, "request" | "params" | "context">) {
  const user = await requireUser(request, context);
  const { briefing } = await requireBriefingRole(context, params.briefingId, user);
  const history = requireHistory(context);
  const url = new URL(request.url);
  let a = parseSeq(url.searchParams.get("a"), "a");
  let b = parseSeq(url.searchParams.get("b"), "b");
  if (a > b) [a, b] = [b, a];
  const va = await requireVersion(history, briefing, a);
  const vb = await requireVersion(history, briefing, b);
  return { briefing, history, a, b, va, vb, authors: await authorsBetween(context, history, briefing.id, a, b) };
}
