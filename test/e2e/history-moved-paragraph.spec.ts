import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { get, loginAs, postForm } from "../helpers/http";
import { body, connectClient, destroyAllClients, eventually } from "../helpers/yclient";

/**
 * Emre drags a paragraph further down the brief; Aigerim compares the versions before and after
 * and sees it once, where it is now, labelled as moved by him (docs/decisions/0119).
 */

const run = browserAvailable();
const SHOTS = process.env.SCREENSHOT_DIR ?? "/tmp";
const HISTORY = "/briefings/ankara-summit/history";
const INDEX_DATA = "?index&_data=" + encodeURIComponent("routes/briefings.$briefingId_.history._index");

describe.skipIf(!run)("compare of a moved paragraph in the browser", () => {
  const env = useServerAndBrowser({ env: { HISTORY_INTERVAL_MS: "600000" } });

  it("shows the paragraph once, at its new place, as moved from its old position by its mover", async () => {
    const cookie = await loginAs(env.server.url, "editor");
    const save = async (name: string) => {
      expect((await postForm(env.server.url, HISTORY + INDEX_DATA, cookie, { intent: "save", name })).status).toBe(200);
      const list = await get(env.server.url, HISTORY + INDEX_DATA, cookie);
      return ((await list.json()) as { versions: { seq: number }[] }).versions[0].seq;
    };
    const emre = await connectClient(env.server.url, cookie);
    const frag = body(emre.doc);
    const MOVED = "Water rights: Ankara proposes a joint commission on the Euphrates flow.";
    const paragraph = (text: string) => {
      const p = new Y.XmlElement("paragraph");
      p.insert(0, [new Y.XmlText(text)]);
      return p;
    };
    const context = await signedInContext(env.browser, env.server.url, "aigerim@demo.summitdesk.test");
    const page = await context.newPage();
    try {
      frag.insert(frag.length, [paragraph(MOVED), paragraph("Energy: the corridor study is due in March."), paragraph("Visa regime: the technical talks resume in May.")]);
      const serverSees = (pattern: RegExp) =>
        eventually(async () => {
          const c = await connectClient(env.server.url, cookie);
          const s = body(c.doc).toString();
          c.destroy();
          expect(s).toMatch(pattern);
        }, 20_000, 100);
      await serverSees(/Euphrates flow\.<\/paragraph><paragraph>Energy/);
      const from = await save("Before the drag");
      // A drop, as y-prosemirror writes it: a new paragraph with the text after "Visa regime", the old one deleted.
      emre.doc.transact(() => {
        const all = frag.toArray();
        const old = all.findIndex((n) => n.toString().includes("Euphrates"));
        frag.insert(all.length, [paragraph(MOVED)]);
        frag.delete(old, 1);
      });
      await serverSees(/May\.<\/paragraph><paragraph>Water rights/);
      const to = await save("After the drag");

      await page.goto(`${HISTORY}/compare?a=${from}&b=${to}`);
      const entry = page.locator(".compare-move-entry", { hasText: "Euphrates" });
      await entry.waitFor({ timeout: 30_000 });
      await expect(entry.locator(".compare-move").innerText()).resolves.toMatch(/^Moved from position \d+ to \d+ by Emre Yıldız$/);
      // Once: not also struck through at its old place, and not marked as inserted.
      expect(await page.locator(".compare-result", { hasText: "Euphrates" }).locator("del, ins").count()).toBe(0);
      expect(await page.locator(".compare-block", { hasText: "Euphrates" }).count()).toBe(1);
      await entry.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/history-compare-moved-paragraph.png` });
    } finally {
      destroyAllClients();
      await context.close();
    }
  }, 180_000);
});
