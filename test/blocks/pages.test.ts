import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { get, login, loginAs, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

const TEAM = "/teams/demo-kz-tr-desk";
let server: TestServer;
let viewer: string;
let editor: string;
let outsider: string;

beforeAll(async () => {
  server = await startTestServer();
  [viewer, editor] = await Promise.all([loginAs(server.url, "viewer"), loginAs(server.url, "editor")]);
  const signup = await postForm(server.url, "/signup", null, { name: "Outsider", email: "outsider@example.test", password: "outsider-password-1" });
  expect(signup.status).toBe(302);
  outsider = await login(server.url, "outsider@example.test", "outsider-password-1");
});
afterAll(async () => {
  await server?.stop();
});

const html = async (path: string, cookie: string, status = 200) => {
  const res = await get(server.url, path, cookie);
  expect(res.status).toBe(status);
  return res.text();
};
const validFact = { intent: "create", country: "tr", label: "Capital", value: "Ankara", unit: "", asOf: "2026-11-20", source: "https://example.org/turkiye" };

describe("country-facts library", () => {
  it("shows the seeded library with sources and as-of dates to a viewer, without editing controls", async () => {
    const page = await html(`${TEAM}/facts`, viewer);
    expect(page).toContain("Mukhtar Tleuberdi");
    expect(page).toContain("Hungary");
    expect(page).toContain("observer");
    expect(page).toContain("2026-11-20");
    expect(page).toContain("Kazakh FM discusses the preparations");
    expect(page).not.toContain("Add a fact");
  });

  it("filters by country and by words in the label", async () => {
    const hu = await html(`${TEAM}/facts?country=hu`, viewer);
    expect(hu).toContain("observer");
    expect(hu).not.toContain("Mukhtar Tleuberdi");
    const tourism = await html(`${TEAM}/facts?q=TOURIST`, viewer);
    expect(tourism).toContain("Istanbul, Antalya");
    expect(tourism).not.toContain("observer");
    expect(await html(`${TEAM}/facts?q=%25_%5C`, viewer)).toContain("No facts match.");
  });

  it("refuses changes from a viewer with 403 and from a non-member entirely", async () => {
    expect((await postForm(server.url, `${TEAM}/facts`, viewer, validFact)).status).toBe(403);
    expect((await postForm(server.url, `${TEAM}/facts`, outsider, validFact)).status).toBe(403);
    expect((await get(server.url, `${TEAM}/facts`, outsider)).status).toBe(403);
    expect((await get(server.url, `${TEAM}/facts.json`, outsider)).status).toBe(403);
    expect(await html(`${TEAM}/facts`, viewer)).not.toContain("Ankara</div>");
  });

  it("answers invalid input with field errors, keeping what was typed", async () => {
    const res = await postForm(server.url, `${TEAM}/facts`, editor, { ...validFact, country: "Turkey", asOf: "2026-02-30", label: "\u0000", source: "" });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("two-letter ISO country code");
    expect(page).toContain("Use a real date");
    expect(page).toContain("Say what the fact is");
    expect(page).toContain("Cite a source");
    expect(page).toContain('value="Turkey"');
  });

  it("lets an editor add a fact and edit it; an old fact is marked stale", async () => {
    const created = await postForm(server.url, `${TEAM}/facts`, editor, { ...validFact, label: "Capital <script>x</script>", asOf: "2020-01-15" });
    expect(created.status).toBe(302);
    const id = new URL(created.headers.get("location")!, server.url).searchParams.get("saved")!;
    expect(id).toBeTruthy();

    const list = (await (await get(server.url, `${TEAM}/facts.json?country=TR`, viewer)).json()) as Record<string, unknown>[];
    const fact = list.find((f) => f.id === id)!;
    expect(fact).toMatchObject({ country: "TR", countryName: "Türkiye", label: "Capital <script>x</script>", value: "Ankara", asOf: "2020-01-15", stale: true });
    const page = await html(`${TEAM}/facts?country=TR`, viewer);
    expect(page).toContain("Capital &lt;script&gt;x&lt;/script&gt;");
    expect(page).toMatch(/stale-badge[^>]*>\s*stale/);

    const edited = await postForm(server.url, `${TEAM}/facts?edit=${id}`, editor, { ...validFact, intent: "update", factId: id, label: "Capital city", asOf: "2026-11-25" });
    expect(edited.status).toBe(302);
    const after = (await (await get(server.url, `${TEAM}/facts.json`, viewer)).json()) as Record<string, unknown>[];
    expect(after.find((f) => f.id === id)).toMatchObject({ label: "Capital city", asOf: "2026-11-25", stale: false });

    const missing = await postForm(server.url, `${TEAM}/facts`, editor, { ...validFact, intent: "update", factId: "no-such-fact" });
    expect(missing.status).toBe(404);
  });

  it("serves the library as JSON for the editor's fact picker", async () => {
    const res = await get(server.url, `${TEAM}/facts.json?country=HU`, viewer);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const facts = (await res.json()) as Record<string, unknown>[];
    expect(facts).toEqual([
      {
        id: "demo-fact-hu-turkic",
        country: "HU",
        countryName: "Hungary",
        label: "Turkic Council",
        value: "observer",
        unit: "",
        asOf: "2026-11-20",
        source: expect.stringContaining("Kazakh FM discusses"),
        updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        stale: expect.any(Boolean),
      },
    ]);
    expect((await get(server.url, `${TEAM}/facts.json`, null)).status).toBe(302);
  });
});

describe("quotes finder", () => {
  it("lists the briefing's quotes with links to their blocks, filtered by speaker or country", async () => {
    const all = await html(`${TEAM}/quotes`, viewer);
    expect(all).toContain("Turkey and Kazakhstan have great potential for cooperation");
    expect(all).toContain("We have always supported our brothers’ independent policy.");
    expect(all).toContain('href="/briefings/ankara-summit#block-quote-cavusoglu"');

    const kz = await html(`${TEAM}/quotes?country=KZ`, viewer);
    expect(kz).toContain("Mukhtar Tleuberdi");
    expect(kz).not.toContain("We have always supported");

    const bySpeaker = await html(`${TEAM}/quotes?speaker=%C3%87avu%C5%9Fo%C4%9Flu`, viewer);
    expect(bySpeaker).toContain("We have always supported");
    expect(bySpeaker).not.toContain("great potential");
  });

  it("matches speakers as search does: diacritics folded, Turkish ı and İ as i, any part of the name", async () => {
    for (const q of ["Cavusoglu", "çavuşoğlu", "Mevlut", "MEVLÜT ÇAVUŞ", "vusog"]) {
      const page = await html(`${TEAM}/quotes?speaker=${encodeURIComponent(q)}`, viewer);
      expect(page, q).toContain("We have always supported");
      expect(page, q).not.toContain("great potential");
    }
    const none = await html(`${TEAM}/quotes?speaker=${encodeURIComponent("Nobody at all")}`, viewer);
    expect(none).not.toContain("We have always supported");
  });
});

describe("search", () => {
  it("finds Çavuşoğlu when asked for Cavusoglu, with the match highlighted", async () => {
    const page = await html(`${TEAM}/search?q=Cavusoglu`, viewer);
    // The link carries the query, so the briefing opens at the hit with the words highlighted.
    expect(page).toContain('href="/briefings/ankara-summit?q=Cavusoglu"');
    expect(page).toMatch(/<mark>Çavuşoğlu<\/mark>/);
  });

  it("matches titles and word prefixes", async () => {
    expect(await html(`${TEAM}/search?q=presidential%20Ankara`, viewer)).toContain("<mark>");
    expect(await html(`${TEAM}/search?q=touri`, viewer)).toContain('href="/briefings/ankara-summit?q=touri"');
  });

  it("survives FTS syntax in the query and says when nothing matched", async () => {
    for (const q of ['"', "AND OR NOT", "NEAR(a b", "*", "title:x", "a\" OR \"b", "-)("]) {
      const res = await get(server.url, `${TEAM}/search?q=${encodeURIComponent(q)}`, viewer);
      expect(res.status).toBe(200);
    }
    expect(await html(`${TEAM}/search?q=zzyzx`, viewer)).toContain("Nothing found");
  });
});
