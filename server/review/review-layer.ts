import type * as Y from "yjs";
import type { Store } from "../../db/store";
import { notify, onNotificationsChanged } from "../../db/queries/notifications";
import { getBriefingInReview, hasApprovals, listApprovals, resetApproval } from "../../db/queries/reviews";
import { documentJSON } from "../export/document-json";
import type { ServerLayer } from "../start";
import { sectionHash, sectionHashes, sectionLabel, WHOLE_BRIEF, type SectionHashes } from "./sections";

/**
 * Resets approvals an edit made stale, from the content, on the server (docs/decisions/0503):
 * each time a briefing's document settles while it is in review and holds approvals, the section
 * hashes are computed from the live document and every approval whose section no longer hashes
 * as it did when it was given is removed; the approver is notified and open pages are told.
 * Briefings not in review cost one primary-key lookup per settle.
 */
export function reviewLayer(): ServerLayer {
  const cleanups: (() => void)[] = [];
  return {
    name: "review",
    attach({ store, logger, events, services }) {
      // A notification written here is announced on the bus, so a user's pages on every instance
      // (docs/decisions/0109) refresh their unread count.
      cleanups.push(
        onNotificationsChanged(store, (userId) => {
          events.publish("notificationsChanged", { userId }).catch((err: unknown) => logger.error("notifications: publishing a change failed", err, { userId }));
        }),
      );
      const collab = services.collab;
      if (!collab) {
        logger.warn("review", "collab service missing: approvals will not be reset by edits");
        return;
      }
      const onSettled = async (briefingId: string, doc: Y.Doc) => {
        try {
          // Nearly all briefings are not in review: one primary-key lookup, prepared once on SQLite.
          const briefing = await getBriefingInReview(store, briefingId);
          if (!briefing || !(await hasApprovals(store, briefingId))) return;
          const reset = await resetChangedApprovals(store, briefing, sectionHashes(documentJSON(doc)));
          if (reset > 0) {
            logger.info("review", "approvals reset by an edit", { briefingId, reset });
            events.publish("reviewChanged", { briefingId, byName: "An edit" }).catch((err: unknown) => logger.error("review: publishing a reset failed", err, { briefingId }));
          }
        } catch (err) {
          logger.error("review: checking approvals after an edit failed", err, { briefingId });
        }
      };
      cleanups.push(collab.onDocumentSettled((briefingId, doc) => void onSettled(briefingId, doc)));
    },
    close() {
      for (const cleanup of cleanups.splice(0)) cleanup();
    },
  };
}

/**
 * Resets approvals whose section changed since they were given (the hash the server stored then
 * no longer matches the document), tells each approver, and returns how many were reset. Runs
 * each time the document settles while the briefing is in review. Every reset is written before
 * the first notification is awaited, and only the approvals this call removed are announced: two
 * settles of one briefing that overlap never tell an approver twice. A reset deletes the approval
 * only while it still has the hash read here, so an approval of the new content given meanwhile
 * stays.
 */
export async function resetChangedApprovals(store: Store, briefing: { id: string; title: string }, hashes: SectionHashes): Promise<number> {
  const approved = await listApprovals(store, briefing.id);
  const removed: { d: (typeof approved)[number]; what: string }[] = [];
  for (const d of approved) {
    const now = sectionHash(hashes, d.section);
    if (now === d.contentHash) continue;
    if (await resetApproval(store, d)) removed.push({ d, what: now === null ? "a topic you approved was removed" : `${sectionLabel(hashes, d.section)} was edited` });
  }
  for (const { d, what } of removed) {
    await notify(store, d.userId, "approval_reset", {
      briefingId: briefing.id,
      link: `/briefings/${briefing.id}${d.section === WHOLE_BRIEF ? "" : `#block-${d.section}`}`,
      text: `Your approval of ${d.section === WHOLE_BRIEF ? "the whole brief" : sectionLabel(hashes, d.section)} in “${briefing.title}” was reset: ${what}.`,
      section: d.section,
    });
  }
  return removed.length;
}
