import type { Briefing } from "../../db/schema";
import type { HashedFields } from "../../server/export/content-hash";

/** The briefing fields a content hash covers besides the body. */
export function briefingFields(b: Briefing): HashedFields {
  return {
    title: b.title,
    summitName: b.summitName,
    city: b.city,
    startDate: b.startDate,
    endDate: b.endDate,
    classification: b.classification,
  };
}
