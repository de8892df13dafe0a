import { z } from "zod";
import { ROLES } from "../../db/enums";

/** Most people one invitation link can let in. */
export const INVITATION_MAX_USES = 100;

const HOUR_MS = 60 * 60 * 1000;

/**
 * The lifetimes an owner can pick for a link, from one hour to thirty days. A short fixed list
 * instead of a free date: nobody makes a link that lives for years by a typo.
 */
export const INVITATION_EXPIRY_CHOICES = [
  { value: "1h", label: "1 hour", ms: HOUR_MS },
  { value: "1d", label: "1 day", ms: 24 * HOUR_MS },
  { value: "7d", label: "7 days", ms: 7 * 24 * HOUR_MS },
  { value: "30d", label: "30 days", ms: 30 * 24 * HOUR_MS },
] as const;

export const DEFAULT_INVITATION_EXPIRY = "7d";

const EXPIRY_VALUES = INVITATION_EXPIRY_CHOICES.map((c) => c.value) as [string, ...string[]];

export const InvitationForm = z.object({
  role: z.enum(ROLES, { errorMap: () => ({ message: "Choose a role." }) }),
  maxUses: z.coerce
    .number({ invalid_type_error: `Uses must be a whole number from 1 to ${INVITATION_MAX_USES}.` })
    .int(`Uses must be a whole number from 1 to ${INVITATION_MAX_USES}.`)
    .min(1, `Uses must be a whole number from 1 to ${INVITATION_MAX_USES}.`)
    .max(INVITATION_MAX_USES, `Uses must be a whole number from 1 to ${INVITATION_MAX_USES}.`),
  expiresIn: z
    .enum(EXPIRY_VALUES, { errorMap: () => ({ message: "Choose when the link expires: 1 hour, 1 day, 7 days or 30 days." }) })
    .transform((v) => INVITATION_EXPIRY_CHOICES.find((c) => c.value === v)!.ms),
});
