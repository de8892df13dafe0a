import { finalizeCleared, toReview } from "../helpers/review";
import { EDITOR_SCHEMA_VERSION } from "../../extensions";
import { Awareness, encodeAwarenessUpdate } from "y-protocols/awareness";
import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { awarenessMessage } from "../../server/collab/protocol";
import { loginAs, postForm } from "../helpers/http";
import { awarenessMarker } from "../helpers/marker";
import { startTestServer, type TestServer } from "../helpers/server";
import {
  body,
  connectClient,
  destroyAllClients,
  eventually,
  firstParagraph,
  metricValue,
  rawSocket,
  readBody,
  upgradeStatus,
} from "../helpers/yclient";

const TOKEN = "metrics-test-token";
let server: TestServer;
let owner: string;
beforeAll(async () => {
  server = await startTestServer({ env: { METRICS_TOKEN: TOKEN } });
  owner = await loginAs(server.url, "owner");
});
afterEach(() => destroyAllClients());
afterAll(async () => {
  await server?.stop();
});

describe("upgrade refusals", () => {
  it("answers each refusal with a plain HTTP status before any socket exists", async () => {
    const base = { Origin: server.url };
    expect(await upgradeStatus(server.url, "/collab/ankara-summit", base)).toBe(401);
    expect(await upgradeStatus(server.url, "/collab/ankara-summit", { ...base, Cookie: "sd_session=forged.value" })).toBe(401);
    expect(await upgradeStatus(server.url, "/collab/ankara-summit", { Cookie: owner, Origin: "https://evil.example" })).toBe(403);
    expect(await upgradeStatus(server.url, "/collab/ankara-summit", { Cookie: owner, Origin: "null" })).toBe(403);
    expect(await upgradeStatus(server.url, "/collab/no-such-briefing", { ...base, Cookie: owner })).toBe(404);
    expect(await upgradeStatus(server.url, "/collab/bad%20id", { ...base, Cookie: owner })).toBe(400);
    expect(await upgradeStatus(server.url, `/collab/${"a".repeat(65)}`, { ...base, Cookie: owner })).toBe(400);
    expect(await upgradeStatus(server.url, "/collab/", { ...base, Cookie: owner })).toBe(400);
    expect(await upgradeStatus(server.url, "/collab/a/b", { ...base, Cookie: owner })).toBe(400);
    expect(await upgradeStatus(server.url, "/elsewhere", { ...base, Cookie: owner })).toBe(404);
    // The query string is ignored; a script without Origin but with a session is let in.
    expect(await upgradeStatus(server.url, "/collab/ankara-summit?x=1", { ...base, Cookie: owner })).toBe(101);
    expect(await upgradeStatus(server.url, "/collab/ankara-summit", { Cookie: owner })).toBe(101);
  });

  it("refuses a signed-in user of another team with 403", async () => {
    const res = await postForm(server.url, "/signup", null, { name: "Outsider", email: "outsider@example.test", password: "long-enough-pw" });
    const outsider = res.headers.get("set-cookie")!.split(";")[0];
    expect(await upgradeStatus(server.url, "/collab/ankara-summit", { Cookie: outsider, Origin: server.url })).toBe(403);
  });
});

describe("editor schema version", () => {
  it("closes a tab built for another schema version with 4504 and admits the current one", async () => {
    const cookie = await loginAs(server.url, "editor");
    const old = await connectClient(server.url, cookie, { params: { schema: "0" }, waitForSync: false });
    await eventually(() => expect(old.closes).toEqual([{ code: 4504, reason: "editor update required: reload the page" }]));
    const current = await connectClient(server.url, cookie, { params: { schema: String(EDITOR_SCHEMA_VERSION) } });
    expect(current.provider.synced).toBe(true);
  });
});

describe("read-only connections", () => {
  for (const role of ["viewer", "commenter"] as const) {
    it(`a ${role} syncs, but their updates are not applied, broadcast or stored`, async () => {
      const cookie = await loginAs(server.url, role);
      const reader = await connectClient(server.url, cookie);
      const watcher = await connectClient(server.url, owner);
      const before = body(watcher.doc).toString();
      const rejectedBefore = await metricValue(server.url, TOKEN, "summit_collab_rejected_messages_total", '{reason="read_only_update"}');
      firstParagraph(reader.doc).insert(0, `${role}-was-here `);
      await eventually(async () =>
        expect(await metricValue(server.url, TOKEN, "summit_collab_rejected_messages_total", '{reason="read_only_update"}')).toBeGreaterThan(rejectedBefore),
      );
      // The reader's next message reaching the watcher shows the dropped update would have come first.
      expect(await awarenessMarker(reader, watcher)).toBe(true);
      expect(body(watcher.doc).toString()).toBe(before);
      expect(reader.closes).toEqual([]);
      reader.destroy();
      watcher.destroy();
      expect(await readBody(server.url, owner)).not.toContain(`${role}-was-here`);
    });
  }
});

describe("awareness is bound to the connection", () => {
  it("overwrites the user field with the session's name and refuses entries of another client id", async () => {
    const alice = await connectClient(server.url, owner);
    const bob = await connectClient(server.url, await loginAs(server.url, "editor"));
    alice.provider.awareness.setLocalStateField("user", { name: "Mallory", color: "#000000" });
    alice.provider.awareness.setLocalStateField("cursor", { anchor: 1 });
    const aliceId = alice.doc.clientID;
    await eventually(() => {
      const seen = bob.provider.awareness.getStates().get(aliceId) as { user: { name: string; id: string }; cursor: unknown };
      expect(seen.user.name).toBe("Aigerim Nurpeisova");
      expect(seen.user.id).toBe("demo-owner");
      expect(seen.cursor).toEqual({ anchor: 1 });
    });

    // A third connection tries to set Alice's entry with a higher clock.
    const spoofer = rawSocket(server.url, await loginAs(server.url, "viewer"));
    await spoofer.opened;
    const fakeDoc = new Y.Doc();
    fakeDoc.clientID = aliceId;
    const fake = new Awareness(fakeDoc);
    for (let i = 0; i < 50; i++) fake.setLocalState({ user: { name: "Spoofed" }, n: i });
    spoofer.ws.send(awarenessMessage(encodeAwarenessUpdate(fake, [aliceId])));
    fake.destroy();
    await eventually(async () =>
      expect(await metricValue(server.url, TOKEN, "summit_collab_rejected_messages_total", '{reason="awareness_not_owned"}')).toBeGreaterThan(0),
    );
    // Then the spoofer's own entry, which is let through: once Bob has it, a broadcast of the
    // spoofed entry (sent earlier on the same socket) would have reached him before it.
    const own = new Awareness(new Y.Doc());
    own.setLocalState({ marker: "spoofer-own-entry" });
    spoofer.ws.send(awarenessMessage(encodeAwarenessUpdate(own, [own.clientID])));
    await eventually(() => expect(bob.provider.awareness.getStates().get(own.clientID)).toMatchObject({ marker: "spoofer-own-entry" }));
    own.destroy();
    const seen = bob.provider.awareness.getStates().get(aliceId) as { user: { name: string } };
    expect(seen.user.name).toBe("Aigerim Nurpeisova");
    spoofer.ws.close();
    alice.destroy();
    bob.destroy();
  });
});

describe("final briefings", () => {
  it("refuses an editor's updates once final; when reopened, the refused editor must reload and others write again", async () => {
    const editorCookie = await loginAs(server.url, "editor");
    const editor = await connectClient(server.url, editorCookie);
    const watcher = await connectClient(server.url, owner);
    expect((await postForm(server.url, "/briefings/ankara-summit/status", editorCookie, toReview())).status).toBe(200);
    expect((await finalizeCleared(server.url, "ankara-summit", editorCookie, await loginAs(server.url, "commenter"))).status).toBe(200);
    const frozen = body(watcher.doc).toString();
    firstParagraph(editor.doc).insert(0, "after-final ");
    expect(await awarenessMarker(editor, watcher)).toBe(true);
    expect(body(watcher.doc).toString()).toBe(frozen);

    // A client that never tried to edit while final stays connected and can write again.
    const idle = await connectClient(server.url, editorCookie);
    expect((await postForm(server.url, "/briefings/ankara-summit/status", owner, { to: "draft" })).status).toBe(200);
    await eventually(() => expect(editor.closes.map((c) => c.code)).toEqual([4412]));
    firstParagraph(idle.doc).insert(0, "reopened ");
    await eventually(() => expect(firstParagraph(watcher.doc).toString()).toContain("reopened "));
    expect(idle.closes).toEqual([]);
    expect(firstParagraph(watcher.doc).toString()).not.toContain("after-final");
    expect(await readBody(server.url, owner)).not.toContain("after-final");
  });
});

describe("metrics endpoint", () => {
  it("is 404 without the bearer token and reports rooms and connections with it", async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`, { headers: { Authorization: "Bearer wrong" } })).status).toBe(404);
    const client = await connectClient(server.url, owner);
    expect(await metricValue(server.url, TOKEN, "summit_collab_rooms")).toBe(1);
    expect(await metricValue(server.url, TOKEN, "summit_collab_connections")).toBeGreaterThanOrEqual(1);
    client.destroy();
    // The room unloads (after storing) once its last client leaves.
    await eventually(async () => {
      expect(await metricValue(server.url, TOKEN, "summit_collab_connections")).toBe(0);
      expect(await metricValue(server.url, TOKEN, "summit_collab_rooms")).toBe(0);
    });
  });
});
