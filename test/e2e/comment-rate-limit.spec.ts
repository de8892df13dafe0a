import { describe, expect, it } from "vitest";
import type { ThreadView } from "../../app/comments/types";
import { anchorFor, commentApi, json } from "../comments/comment-api";
import { browserAvailable, signedInContext, useServerAndBrowser } from "../helpers/browser";
import { loginAs } from "../helpers/http";
import { connectClient, destroyAllClients } from "../helpers/yclient";

/** The comment limit as a person meets it: the reply box says why the reply was not sent. */

const run = browserAvailable();

describe.skipIf(!run)("comment rate limit in the browser", () => {
  // One comment, then one a minute: the thread below uses the only token.
  const env = useServerAndBrowser({ env: { COMMENT_RATE_BURST: "1", COMMENT_RATE_PER_MINUTE: "1" } });

  it("shows the server's message when a reply is refused with 429", async () => {
    const cookie = await loginAs(env.server.url, "commenter");
    const client = await connectClient(env.server.url, cookie);
    const thread = (await json<{ thread: ThreadView }>(await commentApi(env.server.url, cookie).create(anchorFor(client.doc, "Purpose"), "First thoughts"), 201)).thread;
    destroyAllClients();

    const context = await signedInContext(env.browser, env.server.url, "dana@demo.summitdesk.test");
    const page = await context.newPage();
    await page.goto("/briefings/ankara-summit");
    const card = page.locator(`.thread-card[data-thread-id="${thread.id}"]`);
    await card.waitFor({ timeout: 30_000 });
    await card.click();
    const reply = card.getByRole("textbox", { name: "Reply…" });
    await reply.fill("Too soon");
    await card.getByRole("button", { name: "Reply" }).click();
    const alert = card.locator(".comment-composer [role=alert]");
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/You are commenting faster than the desk allows\. Try again in \d+ seconds?\./);
    // The text stays in the box, to be sent when the limit allows.
    await expect(reply.inputValue()).resolves.toBe("Too soon");
    await context.close();
  }, 60_000);
});
