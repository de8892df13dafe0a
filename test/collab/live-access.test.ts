import pg from "pg";
import { finalizeCleared, toReview as reviewFields } from "../helpers/review";
import { readAuthMessage } from "y-protocols/auth";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createBriefingOverHttp, loginAs, postForm } from "../helpers/http";
import { awarenessMarker } from "../helpers/marker";
import { createPostgresDatabase, postgresAvailable, type TestPostgres } from "../helpers/postgres";
import { startTestServer, type TestServer } from "../helpers/server";
import { body, connectClient, destroyAllClients, eventually, firstParagraph, upgradeStatus } from "../helpers/yclient";

/**
 * Access changes made over HTTP reach the open sockets of the real server before the request
 * answers, on SQLite and on PostgreSQL (docs/decisions/0122): stock y-websocket clients.
 */

const TEAM = "demo-kz-tr-desk";

for (const dialect of ["sqlite", "pg"] as const) {
  describe.skipIf(dialect === "pg" && !postgresAvailable())(`access changes reach open sockets at once (${dialect})`, { timeout: 120_000 }, () => {
    let server: TestServer;
    let owner: string;
    let database: TestPostgres | null = null;
    beforeAll(async () => {
      if (dialect === "pg") database = await createPostgresDatabase();
      server = await startTestServer(database ? { databaseUrl: database.url } : {});
      owner = await loginAs(server.url, "owner");
    });
    afterEach(() => destroyAllClients());
    afterAll(async () => {
      await server?.stop();
      await database?.drop();
    });

    const members = (fields: Record<string, string>) => postForm(server.url, `/teams/${TEAM}/members`, owner, fields);

    /**
     * Sets the demo briefing's status as the status route does and announces it. PostgreSQL: the
     * status route still writes through the SQLite handle, so the row is set directly and announced
     * by a route that publishes briefingChanged after its own write (unarchive, a no-op here).
     */
    async function setStatus(to: "final" | "draft"): Promise<void> {
      if (!database) {
        if (to === "final") {
          expect((await postForm(server.url, "/briefings/ankara-summit/status", owner, reviewFields())).status).toBe(200);
          expect((await finalizeCleared(server.url, "ankara-summit", owner, await loginAs(server.url, "commenter"))).status).toBe(200);
        } else {
          expect((await postForm(server.url, "/briefings/ankara-summit/status", owner, { to: "draft" })).status).toBe(200);
        }
        return;
      }
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await client.query("update briefings set status = $1 where id = 'ankara-summit'", [to]);
      } finally {
        await client.end();
      }
      expect((await postForm(server.url, `/teams/${TEAM}?index`, owner, { intent: "unarchive", briefingId: "ankara-summit" })).status).toBe(200);
    }

    it("a downgraded editor stops writing immediately and can write again after an upgrade", async () => {
      const editorCookie = await loginAs(server.url, "editor");
      const editor = await connectClient(server.url, editorCookie);
      const watcher = await connectClient(server.url, owner);
      firstParagraph(editor.doc).insert(0, "before ");
      await eventually(() => expect(firstParagraph(watcher.doc).toString()).toContain("before "));

      expect((await members({ intent: "role", userId: "demo-editor", role: "viewer" })).status).toBe(200);
      const second = await connectClient(server.url, editorCookie); // sits idle while read-only
      firstParagraph(editor.doc).insert(0, "while-viewer ");
      // The editor's next message reaching the watcher shows the dropped edit would have come first.
      expect(await awarenessMarker(editor, watcher)).toBe(true);
      expect(body(watcher.doc).toString()).not.toContain("while-viewer");

      expect((await members({ intent: "role", userId: "demo-editor", role: "editor" })).status).toBe(200);
      // The socket whose edit was refused must reload; the idle one writes straight away.
      await eventually(() => expect(editor.closes.map((c) => c.code)).toEqual([4412]));
      firstParagraph(second.doc).insert(0, "upgraded ");
      await eventually(() => expect(firstParagraph(watcher.doc).toString()).toContain("upgraded "));
      expect(body(watcher.doc).toString()).not.toContain("while-viewer");
    });

    it("a downgrade and a finalization tell the connection at once with y-protocols permission denied", async () => {
      const editorCookie = await loginAs(server.url, "editor");
      const editor = await connectClient(server.url, editorCookie);
      const denied: string[] = [];
      editor.provider.messageHandlers[2] = (_encoder, decoder) => {
        readAuthMessage(decoder, editor.doc, (_doc, reason) => denied.push(reason));
      };
      expect((await members({ intent: "role", userId: "demo-editor", role: "commenter" })).status).toBe(200);
      await eventually(() => expect(denied).toEqual(["role commenter is read-only"]));
      expect((await members({ intent: "role", userId: "demo-editor", role: "editor" })).status).toBe(200);

      const writer = await connectClient(server.url, editorCookie);
      const deniedWriter: string[] = [];
      writer.provider.messageHandlers[2] = (_encoder, decoder) => {
        readAuthMessage(decoder, writer.doc, (_doc, reason) => deniedWriter.push(reason));
      };
      await setStatus("final");
      await eventually(() => expect(deniedWriter).toEqual(["briefing is final"]));
      // Final before the request answered: an edit sent now is refused.
      const watcher = await connectClient(server.url, owner);
      firstParagraph(writer.doc).insert(0, "after-final ");
      expect(await awarenessMarker(writer, watcher)).toBe(true);
      expect(body(watcher.doc).toString()).not.toContain("after-final");
      await setStatus("draft");
      await eventually(() => expect(writer.closes.map((c) => c.code)).toEqual([4412]));
    });

    it("signing out closes that session's sockets with 4401 and leaves other sessions open", async () => {
      const session1 = await loginAs(server.url, "commenter");
      const session2 = await loginAs(server.url, "commenter");
      const a = await connectClient(server.url, session1);
      const b = await connectClient(server.url, session2);
      const watcher = await connectClient(server.url, owner);
      const res = await postForm(server.url, "/logout", session1, {});
      expect(res.status).toBe(302);
      await eventually(() => expect(a.closes).toEqual([{ code: 4401, reason: "session ended: sign in again" }]));
      // The sign-out closed its sockets before answering, so a message sent now reaches b only if b
      // was left open; a close of b would have reached it first.
      expect(await awarenessMarker(watcher, b)).toBe(true);
      expect(b.closes).toEqual([]);
      expect(await upgradeStatus(server.url, "/collab/ankara-summit", { Cookie: session1, Origin: server.url })).toBe(401);
    });

    it("deleting a briefing closes its sockets with 4404", async () => {
      const briefingId = await createBriefingOverHttp(server.url, owner, { title: "Doomed briefing" });
      const client = await connectClient(server.url, owner, { briefingId });
      const del = await postForm(server.url, `/teams/${TEAM}?index`, owner, { intent: "delete", briefingId });
      expect(del.status).toBe(200);
      await eventually(() => expect(client.closes.map((c) => c.code)).toEqual([4404]));
      expect(await upgradeStatus(server.url, `/collab/${briefingId}`, { Cookie: owner, Origin: server.url })).toBe(404);
      // Nothing tried to store the deleted briefing's document.
      expect(server.logs.filter((l) => l.level === "error")).toEqual([]);
    });

    it("removing a member closes their sockets with 4403, and they cannot reconnect", async () => {
      const viewerCookie = await loginAs(server.url, "viewer");
      const viewer = await connectClient(server.url, viewerCookie);
      expect((await members({ intent: "remove", userId: "demo-viewer" })).status).toBe(200);
      await eventually(() => expect(viewer.closes).toEqual([{ code: 4403, reason: "access to this briefing was removed" }]));
      expect(await upgradeStatus(server.url, "/collab/ankara-summit", { Cookie: viewerCookie, Origin: server.url })).toBe(403);
    });
  });
}
