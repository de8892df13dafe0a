import type { AppLoadContext } from "@remix-run/node";
import { insertAuditEvent, type NewAuditEvent } from "../../db/queries/audit";
import type { Briefing } from "../../db/schema";
import type { Store } from "../../db/store";

export { AUDIT_ACTIONS, isAuditAction, type AuditAction } from "../../db/queries/audit";

/** Who did it: a signed-in user, or for a failed sign-in the email tried (and the account, if any). */
export interface AuditActor {
  id: string | null;
  email: string;
}

/**
 * Appends an event with the actor and the client address of this request (the peer address of
 * the connection: the server trusts no forwarded-for header). Pass `store` as the transaction of
 * the change the event records (withTransaction), so both are written or neither is.
 */
export async function recordAudit(
  context: AppLoadContext,
  actor: AuditActor | null,
  event: Omit<NewAuditEvent, "actorId" | "actorEmail" | "ip">,
  store: Store = context.store,
): Promise<void> {
  await insertAuditEvent(store, { ...event, actorId: actor?.id ?? null, actorEmail: actor?.email ?? null, ip: context.clientAddress });
}

export type ExportFormat = "pdf" | "docx" | "md";

/**
 * The one record of an export, for every format: who, of which briefing, which stored version
 * (null: the live draft) and the content hash of what was exported. Call it once the file exists.
 */
export async function recordExport(
  context: AppLoadContext,
  input: { briefing: Briefing; user: AuditActor; format: ExportFormat; version: number | null; contentHash: string },
): Promise<void> {
  await recordAudit(context, input.user, {
    action: "briefing.export",
    teamId: input.briefing.teamId,
    briefingId: input.briefing.id,
    target: input.briefing.title,
    details: { format: input.format, version: input.version ?? "draft", contentHash: input.contentHash },
  });
}

