import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { SuggestionView } from "../../app/suggestions/types";
import { anchorFor, json } from "../comments/comment-api";
import { loginAll } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { body, connectClient, destroyAllClients, eventually, type YClient } from "../helpers/yclient";
import { plainBody, suggestionApi } from "./suggestion-api";

/** A suggester withdraws their own suggestion once its text was deleted; the server checks who and when. */

type Role = "owner" | "editor" | "commenter" | "viewer";
let server: TestServer;
let cookies: Record<Role, string>;
let owner: YClient;
beforeAll(async () => {
  server = await startTestServer();
  cookies = await loginAll(server.url);
  owner = await connectClient(server.url, cookies.owner);
});
afterAll(async () => {
  destroyAllClients();
  await server?.stop();
});

const api = (role: Role) => suggestionApi(server.url, cookies[role]);

async function suggest(role: Role, needle: string, replacement: string): Promise<SuggestionView> {
  return (await json<{ suggestion: SuggestionView }>(await api(role).suggest(anchorFor(owner.doc, needle), replacement), 201)).suggestion;
}

/** Deletes `needle` from the owner's live document (the run that holds it). */
function deleteText(needle: string): void {
  const walk = (node: Y.XmlElement | Y.XmlFragment): boolean => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) {
        const plain = (child.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === "string" ? d.insert : "")).join("");
        const at = plain.indexOf(needle);
        if (at >= 0) {
          child.delete(at, needle.length);
          return true;
        }
      } else if (child instanceof Y.XmlElement && walk(child)) return true;
    }
    return false;
  };
  if (!walk(body(owner.doc))) throw new Error(`"${needle}" is not in the document`);
}

async function statusOf(id: string): Promise<SuggestionView> {
  const res = await fetch(`${server.url}/briefings/ankara-summit/suggestions/${id}`, { headers: { Cookie: cookies.viewer } });
  return (await json<{ suggestion: SuggestionView }>(res, 200)).suggestion;
}

describe("withdrawing a detached suggestion", () => {
  it("refuses while the text is still there (409), then lets only its author withdraw it once the text is deleted", async () => {
    const s = await suggest("commenter", "Prepare the delegation", "Brief the delegation");
    const early = await api("commenter").post(`/${s.id}`, { intent: "withdraw" });
    expect(early.status).toBe(409);
    expect(JSON.stringify(await early.json())).toContain("Only a detached suggestion can be withdrawn");

    deleteText("Prepare the delegation");
    await eventually(async () => expect((await statusOf(s.id)).gone || (await statusOf(s.id)).outdated).toBe(true), 10_000);
    expect(plainBody(owner.doc)).not.toContain("Prepare the delegation");

    // Not the author: refused whatever the role, editors and owners included (they reject instead).
    for (const role of ["editor", "owner", "viewer"] as const) {
      const res = await api(role).post(`/${s.id}`, { intent: "withdraw" });
      expect(res.status, role).toBe(403);
    }
    expect((await statusOf(s.id)).status).toBe("open");

    const done = await json<{ suggestion: SuggestionView }>(await api("commenter").post(`/${s.id}`, { intent: "withdraw" }), 200);
    expect(done.suggestion).toMatchObject({ status: "rejected", rejectedByName: "Dana Seitkali" });
    // Once closed it cannot be withdrawn, accepted or rejected again.
    expect((await api("commenter").post(`/${s.id}`, { intent: "withdraw" })).status).toBe(409);
    expect((await api("editor").reject(s.id)).status).toBe(409);
  });

  it("lets an editor withdraw their own detached suggestion too", async () => {
    const s = await suggest("editor", "regional security", "regional stability");
    deleteText("regional security");
    const res = await eventually(async () => {
      const r = await api("editor").post(`/${s.id}`, { intent: "withdraw" });
      expect(r.status).toBe(200);
      return r;
    }, 10_000);
    expect(((await res.json()) as { suggestion: SuggestionView }).suggestion).toMatchObject({ status: "rejected", rejectedByName: "Emre Yıldız" });
  });
});
