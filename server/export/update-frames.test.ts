import JSZip from "jszip";
import * as Y from "yjs";
import { afterAll, describe, expect, it } from "vitest";
import { COLLAB_FIELD } from "../../extensions";
import { longBriefState } from "../../scripts/bench/fixtures";
import { createDocumentService } from "./document-service";
import type { ExportInfo } from "./model";
import { frameUpdates } from "./update-frames";

/**
 * An export from the parts a briefing's storage or room holds (snapshot, logged rows, changes),
 * applied in the export thread, is the same file, byte for byte, with the same draft hash, as one
 * from the whole state encoded on the server, as exports were made before (ADR 0408). Real thread.
 */

const service = createDocumentService({ DOCX_TIMEOUT_MS: 120_000, DOCX_MAX_QUEUE: 4, DOCX_WORKER_MAX_MEMORY_MB: 512 });
afterAll(() => service.close());

const info: ExportInfo = {
  title: "Kazakhstan–Türkiye summit: delegation brief",
  summitName: "Kazakhstan–Türkiye Presidential Summit",
  city: "Ankara",
  startDate: "2026-12-14",
  endDate: "2026-12-15",
  classification: "RESTRICTED",
  status: "draft",
  team: "Kazakhstan–Türkiye desk",
  exportedAt: new Date("2026-12-02T05:00:00Z"),
  staleMonths: 12,
};
/**
 * A Word file's parts as text, minus what differs between two writes of the same model: the
 * creation time (docProps/core.xml), the fonts' random obfuscation keys (fontTable.xml, *.odttf)
 * and the bookmark numbers, which count on across the thread's exports.
 */
async function docxParts(bytes: Uint8Array): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(bytes);
  const out: Record<string, string> = {};
  for (const name of Object.keys(zip.files).sort()) {
    if (name === "docProps/core.xml" || name === "word/fontTable.xml" || name.endsWith(".odttf")) continue;
    out[name] = (await zip.file(name)!.async("string")).replace(/_Toc\d+/g, "_Toc").replace(/w:id="\d+"/g, 'w:id=""');
  }
  return out;
}

const { title, summitName, city, startDate, endDate, classification } = info;
const hashFields = { title, summitName, city, startDate, endDate, classification };

describe("exports from framed updates", () => {
  it("write the same Word and Markdown files and hash as the encoded state", async () => {
    const snapshot = longBriefState(20);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, snapshot);
    const parts = [snapshot];
    doc.on("update", (u: Uint8Array) => parts.push(u));
    const fragment = doc.getXmlFragment(COLLAB_FIELD);
    const first = (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    for (let i = 0; i < 50; i++) first.insert((i * 13) % first.length, `edit ${i} `);
    first.delete(5, 30);
    fragment.delete(3, 2);
    expect(parts.length).toBeGreaterThan(50);
    const whole = Y.encodeStateAsUpdate(doc);

    for (const format of ["docx", "md"] as const) {
      const before = await service.render({ update: whole, info, hashFields, format });
      const after = await service.render({ updates: frameUpdates(parts), info, hashFields, format });
      if (format === "md") expect(Buffer.from(after.bytes).equals(Buffer.from(before.bytes))).toBe(true);
      else expect(await docxParts(after.bytes)).toEqual(await docxParts(before.bytes));
      expect(after.contentHash).toMatch(/^[0-9a-f]{64}$/);
      expect(after.contentHash).toBe(before.contentHash);
    }
  }, 180_000);
});
