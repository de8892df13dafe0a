import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { AUDIT_ACTIONS } from "../../db/audit-actions";
import { countAuditEvents, listAuditEvents, type AuditFilter } from "../../db/queries/audit";
import { getMembership, getTeam } from "../../db/queries/teams";
import { isValidId } from "../../db/ids";
import type { AuditEvent } from "../../db/schema";
import type { CurrentUser } from "./auth.server";
import { badRequest, forbidden, notFound } from "./errors";

/**
 * The team whose trail an owner may read. Non-members get 404, as if the team did not exist:
 * the trail names people and addresses, so nothing about it is told outside the team.
 */
export async function requireAuditAccess(context: AppLoadContext, teamId: string | undefined, user: CurrentUser) {
  const team = isValidId(teamId) ? await getTeam(context.store, teamId) : undefined;
  const membership = team ? await getMembership(context.store, team.id, user.id) : undefined;
  if (!team || !membership) throw notFound("Team");
  if (membership.role !== "owner") throw forbidden(`Only owners of ${team.name} may read its audit trail; you are ${membership.role}.`);
  return team;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day (UTC) as the start of that day, or undefined when the text is not a real date. */
function startOfDay(text: string): Date | undefined {
  if (!DAY.test(text)) return undefined;
  const d = new Date(`${text}T00:00:00.000Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text ? undefined : d;
}

const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

const FilterSchema = z.object({
  action: optional(z.enum(AUDIT_ACTIONS, { errorMap: () => ({ message: "`action` is not one of the recorded actions." }) })),
  person: optional(z.string().max(320, "`person` is too long.")),
  briefing: optional(z.string().refine(isValidId, "`briefing` is not a briefing id.")),
  from: optional(z.string().refine((v) => !!startOfDay(v), "`from` must be a date, YYYY-MM-DD.")),
  to: optional(z.string().refine((v) => !!startOfDay(v), "`to` must be a date, YYYY-MM-DD.")),
  page: optional(z.coerce.number({ message: "`page` must be a whole number from 1." }).int("`page` must be a whole number from 1.").min(1, "`page` must be a whole number from 1.").max(1_000_000, "`page` is too large.")),
});

export interface AuditQuery {
  filter: AuditFilter;
  /** The filters as given, to fill the form and build links. */
  params: { action: string; person: string; briefing: string; from: string; to: string };
  page: number;
}

/** Reads `?action=&person=&briefing=&from=&to=&page=`; a bad value is a 400 that says which. */
export function parseAuditQuery(url: URL): AuditQuery {
  const raw = Object.fromEntries(["action", "person", "briefing", "from", "to", "page"].map((k) => [k, url.searchParams.get(k)]));
  const parsed = FilterSchema.safeParse(raw);
  if (!parsed.success) throw badRequest(parsed.error.issues.map((i) => i.message).join(" "));
  const { action, person, briefing, from, to, page } = parsed.data;
  const fromDate = from ? startOfDay(from) : undefined;
  // `to` is inclusive: everything before the start of the next day.
  const untilDate = to ? new Date(startOfDay(to)!.getTime() + 24 * 60 * 60 * 1000) : undefined;
  if (fromDate && untilDate && fromDate >= untilDate) throw badRequest("`from` must not be after `to`.");
  return {
    filter: { action, person: person?.trim() || undefined, briefingId: briefing, from: fromDate, until: untilDate },
    params: { action: action ?? "", person: person ?? "", briefing: briefing ?? "", from: from ?? "", to: to ?? "" },
    page: page ?? 1,
  };
}

export async function auditPage(context: AppLoadContext, teamId: string, query: AuditQuery) {
  const size = context.config.AUDIT_PAGE_SIZE;
  const total = await countAuditEvents(context.store, teamId, query.filter);
  const events = await listAuditEvents(context.store, teamId, query.filter, { limit: size, offset: (query.page - 1) * size });
  return { total, pages: Math.max(1, Math.ceil(total / size)), events };
}

export const CSV_COLUMNS = ["id", "at", "action", "actor_email", "actor_id", "briefing_id", "target", "details", "ip"] as const;

/**
 * One CSV field. A cell a spreadsheet would read as a formula (starting with = + - @, or a tab or
 * carriage return that some strip first) gets a leading quote, so opening the export runs nothing.
 */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(e: AuditEvent): string {
  const cells = [e.id, e.at.toISOString(), e.action, e.actorEmail, e.actorId, e.briefingId, e.target, JSON.stringify(e.details ?? {}), e.ip];
  return cells.map(csvCell).join(",") + "\r\n";
}

/** Every matching row, newest first, read in batches so a long trail never sits in memory whole. */
export function auditCsvStream(context: AppLoadContext, teamId: string, filter: AuditFilter): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let beforeId: number | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(CSV_COLUMNS.join(",") + "\r\n"));
      }
      const batch = await listAuditEvents(context.store, teamId, filter, { limit: 500, beforeId });
      if (batch.length === 0) {
        controller.close();
        return;
      }
      beforeId = batch[batch.length - 1].id;
      controller.enqueue(encoder.encode(batch.map(csvRow).join("")));
    },
  });
}
