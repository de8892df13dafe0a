import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ThreadView } from "../../app/comments/types";
import { loginAs } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectClient, destroyAllClients, type YClient } from "../helpers/yclient";
import { anchorFor, commentApi, json } from "./comment-api";

/** The per-user limit on writing comments, over real HTTP with a small configured bucket. */

const BURST = 3;
// One token every 5 s: slow enough that the burst cannot refill while the test sends it, on a busy machine too.
const PER_MINUTE = 12;

let server: TestServer;
let client: YClient;
let commenter: ReturnType<typeof commentApi>;
let editor: ReturnType<typeof commentApi>;
beforeAll(async () => {
  server = await startTestServer({ env: { COMMENT_RATE_PER_MINUTE: String(PER_MINUTE), COMMENT_RATE_BURST: String(BURST) } });
  const [c, e, owner] = await Promise.all([loginAs(server.url, "commenter"), loginAs(server.url, "editor"), loginAs(server.url, "owner")]);
  commenter = commentApi(server.url, c);
  editor = commentApi(server.url, e);
  client = await connectClient(server.url, owner);
});
afterAll(async () => {
  destroyAllClients();
  await server?.stop();
});

async function waitFor<T>(what: string, attempt: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await attempt();
    if (result !== null) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("comment rate limit", () => {
  it("answers the comment after the burst with 429 and Retry-After, spares other people, and lets the writer go on later", async () => {
    const long = "x".repeat(5000);
    const thread = (await json<{ thread: ThreadView }>(await commenter.create(anchorFor(client.doc, "Purpose"), long), 201)).thread;
    for (let i = 1; i < BURST; i++) await json(await commenter.reply(thread.id, `${long.slice(0, 4990)} ${i}`), 201);

    const refused = await commenter.reply(thread.id, "one too many");
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60 / PER_MINUTE);
    // The shape the comment composer reads its message from.
    const body = (await refused.json()) as { errors: { form: string[] } };
    expect(body.errors.form[0]).toMatch(/commenting faster than the desk allows\. Try again in \d+ seconds?\./);

    // New threads and edits count too.
    expect((await commenter.create(anchorFor(client.doc, "Purpose"), "a new thread")).status).toBe(429);
    expect((await commenter.edit(thread.id, thread.comments[0].id, "shorter")).status).toBe(429);

    // Another person is not affected.
    await json(await editor.reply(thread.id, "I can still write"), 201);

    // Nothing refused was stored.
    const stored = (await commenter.threads()).find((t) => t.id === thread.id)!;
    expect(stored.comments.map((c) => c.body)).not.toContain("one too many");
    expect(stored.comments).toHaveLength(BURST + 1);

    // Once a token has come back the writer can go on.
    const started = Date.now();
    await waitFor("the limit to let the commenter write again", async () => {
      const res = await commenter.reply(thread.id, "later, calmer");
      if (res.status === 429) return null;
      expect(res.status).toBe(201);
      return res;
    });
    expect(Date.now() - started).toBeLessThan(30_000);
    const after = (await commenter.threads()).find((t) => t.id === thread.id)!;
    expect(after.comments.at(-1)!.body).toBe("later, calmer");
  }, 60_000);
});
