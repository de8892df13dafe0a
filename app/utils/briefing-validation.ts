import { z } from "zod";

export const TITLE_MAX = 200;
export const SUMMIT_MAX = 200;
export const CITY_MAX = 100;

const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-12-14.")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "That date does not exist.");

export const BriefingDetailsSchema = z
  .object({
    title: z.string().trim().min(1, "Give the briefing a title.").max(TITLE_MAX, `A title has at most ${TITLE_MAX} characters.`),
    summitName: z.string().trim().min(1, "Name the summit.").max(SUMMIT_MAX, `At most ${SUMMIT_MAX} characters.`),
    city: z.string().trim().min(1, "Where does it take place?").max(CITY_MAX, `At most ${CITY_MAX} characters.`),
    startDate: isoDate,
    endDate: isoDate,
    // One of the team's levels: the caller checks it against them (levels differ between teams).
    classification: z.string({ message: "Choose a classification." }).trim().min(1, "Choose a classification.").max(40, "Choose a classification."),
  })
  .refine((b) => b.endDate >= b.startDate, { message: "The summit cannot end before it starts.", path: ["endDate"] });

export const RenameSchema = z.object({
  title: z.string().trim().min(1, "Give the briefing a title.").max(TITLE_MAX, `A title has at most ${TITLE_MAX} characters.`),
});
