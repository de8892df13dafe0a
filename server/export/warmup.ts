import { buildExportModel } from "./model";
import type { ExportModel } from "./model-types";

/** A one-page brief using every block kind, rendered once when a worker starts. */
export function sampleWarmupModel(): ExportModel {
  const text = (t: string) => ({ type: "text", text: t });
  return buildExportModel(
    {
      type: "doc",
      content: [
        { type: "heading", attrs: { level: 2 }, content: [text("Warm-up")] },
        { type: "paragraph", content: [text("Şş Ğğ İı Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі")] },
        {
          type: "agendaTopic",
          attrs: { title: "Topic", priority: "high", status: "agreed", owner: "Desk" },
          content: [
            { type: "quote", attrs: { speaker: "Speaker", lang: "kk", date: "2025-01-01", source: "Source" }, content: [text("Сөз")] },
            { type: "countryFact", attrs: { country: "KZ", label: "Label", value: "1", unit: "%", asOf: "2025-01-01", source: "Source" } },
          ],
        },
      ],
    },
    {
      title: "Warm-up",
      summitName: "Summit",
      city: "City",
      startDate: "2026-01-01",
      endDate: "2026-01-02",
      classification: "UNCLASSIFIED",
      status: "draft",
      team: "Team",
      exportedAt: new Date(0),
      staleMonths: 12,
    },
  );
}
