import type { Briefing } from "../../db/schema";
import { contentHash, type HashedFields } from "../../server/export/content-hash";
import { updateToJSON } from "../../server/export/document-json";

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

/** The content hash of a live draft (a Yjs update), computed as finalizing does for a version. */
export function draftContentHash(briefing: Briefing, update: Uint8Array): string {
  return contentHash(updateToJSON(update), briefingFields(briefing));
}
