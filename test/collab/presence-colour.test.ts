import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { exec } from "../../db/store";
import { demoUser, loginAs } from "../helpers/http";
import type { TestServer } from "../helpers/server";
import { withServerStore } from "../helpers/stores";
import { serverDialects, type DialectServer } from "../helpers/server-dialects";
import { connectClient, destroyAllClients, eventually } from "../helpers/yclient";

// A colour no palette or hash would produce, so the test can only pass if the stored one is used.
const STORED_COLOUR = "#0a7b5e";

let server: TestServer;
let env: DialectServer;
afterEach(() => destroyAllClients());

type Seen = { user?: { id?: string; name?: string; color?: string } } | undefined;

for (const dialect of serverDialects()) {
  describe.skipIf(!dialect.available)(`presence colour follows the user on ${dialect.name}`, () => {
    beforeAll(async () => {
      env = await dialect.start();
      server = env.server;
      await withServerStore(server, (store) => exec(store, (db, t) => db.update(t.users).set({ color: STORED_COLOUR }).where(eq(t.users.email, demoUser("owner").email))));
    }, 60_000);
    afterAll(async () => {
      await env?.close();
    });

    it("stamps the stored user colour on every connection of that user, whatever the client claims", async () => {
      const ownerCookie = await loginAs(server.url, "owner");
      // The same person in two tabs, one of them claiming another colour.
      const tabA = await connectClient(server.url, ownerCookie);
      const tabB = await connectClient(server.url, await loginAs(server.url, "owner"));
      const colleague = await connectClient(server.url, await loginAs(server.url, "editor"));
      tabA.provider.awareness.setLocalStateField("user", { name: "Aigerim Nurpeisova", color: "#ff00ff" });
      tabB.provider.awareness.setLocalStateField("user", { name: "Aigerim Nurpeisova", color: STORED_COLOUR });
      const a = tabA.doc.clientID;
      const b = tabB.doc.clientID;

      // Every view (the colleague's and each of the owner's own tabs) shows both tabs in the stored colour.
      for (const view of [colleague, tabA, tabB]) {
        await eventually(() => {
          const states = view.provider.awareness.getStates();
          for (const id of [a, b]) {
            if (id === view.doc.clientID) continue; // a client's own state is the local one, never the server's
            const seen = states.get(id) as Seen;
            expect(seen?.user?.id).toBe("demo-owner");
            expect(seen?.user?.color).toBe(STORED_COLOUR);
          }
        });
      }
    });
  });
}
