import type { Role } from "../../db/enums";

/** Status workflow and export controls for a briefing (filled in by the finalize/export work). */
export function BriefingActions(_props: { briefing: { id: string; status: string }; role: Role }) {
  return null;
}
