import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { saveReviewDecision } from "../../db/queries/reviews";
import { withTransaction } from "../../db/store";
import type { Briefing, Role } from "../../db/schema";
import { sectionHash } from "../../server/review/sections";
import { recordAudit } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { forbidden } from "./errors";
import { activeApprovers, currentSectionHashes, loadReview, sectionLabel, WHOLE_BRIEF } from "./review.server";

/** The decision form; the note's limit is REVIEW_NOTE_MAX_CHARS. */
export function decisionForm(noteMax: number) {
  return z.object({
    section: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "Choose the whole brief or an agenda topic."),
    decision: z.enum(["approved", "changes_requested"], { message: "Choose Approve or Request changes." }),
    note: z.string().trim().max(noteMax, `A note has at most ${noteMax} characters.`).default(""),
  });
}
type DecisionInput = z.infer<ReturnType<typeof decisionForm>>;

export type DecisionResult = { ok: true } | { ok: false; status: 400 | 409; error: string };

/**
 * An approver's Approve / Request changes on the whole brief or one agenda topic, while the
 * briefing is in review. The hash of the section as the server has it now is stored with it, so
 * a later edit of that section (and only that section) resets the approval.
 */
export async function recordDecision(
  context: AppLoadContext,
  access: { briefing: Briefing; role: Role },
  user: CurrentUser,
  input: DecisionInput,
): Promise<DecisionResult> {
  const { briefing } = access;
  if (briefing.status !== "in_review") return { ok: false, status: 409, error: "The briefing is not in review, so there is nothing to approve." };
  const review = await loadReview(context.store, briefing);
  if (!review || !activeApprovers(review).some((a) => a.userId === user.id)) {
    throw forbidden("You are not an approver of this review.");
  }
  if (input.decision === "changes_requested" && input.note === "") {
    return { ok: false, status: 400, error: "Say what should change: a request for changes needs a note." };
  }
  const hashes = await currentSectionHashes(context, briefing.id);
  const hash = sectionHash(hashes, input.section);
  if (hash === null) return { ok: false, status: 400, error: "There is no such agenda topic in the briefing (it may have been removed)." };
  await withTransaction(context.store, async (tx) => {
    await saveReviewDecision(tx, { briefingId: briefing.id, userId: user.id, section: input.section, decision: input.decision, note: input.note, contentHash: hash });
    await recordAudit(context, user, {
      action: "review.decision",
      teamId: briefing.teamId,
      briefingId: briefing.id,
      target: briefing.title,
      details: { section: input.section === WHOLE_BRIEF ? "brief" : sectionLabel(hashes, input.section), decision: input.decision },
    }, tx);
  });
  await context.events.publish("reviewChanged", { briefingId: briefing.id, byName: user.name });
  context.logger.info("review", "decision recorded", { briefingId: briefing.id, userId: user.id, section: input.section, decision: input.decision });
  return { ok: true };
}
