import { afterAll, afterEach, beforeAll } from "vitest";
import * as Y from "yjs";
import { loginAs } from "./http";
import { startTestServer, type TestServer } from "./server";
import { body, destroyAllClients } from "./yclient";

/**
 * What the tests of anchored ranges (comment threads, suggested edits) share: a server of their
 * own with a commenter and an editor signed in, clients closed after each test, and the Yjs text
 * where a phrase is, for typing around it as a stock y-websocket client would.
 */
export interface AnchorTestContext {
  server: TestServer;
  commenter: string;
  editor: string;
}

/** Registers the file's hooks; the returned object is filled in before the first test runs. */
export function useAnchorTestServer(): AnchorTestContext {
  const ctx = {} as AnchorTestContext;
  beforeAll(async () => {
    ctx.server = await startTestServer();
    [ctx.commenter, ctx.editor] = await Promise.all([loginAs(ctx.server.url, "commenter"), loginAs(ctx.server.url, "editor")]);
  });
  afterEach(() => destroyAllClients());
  afterAll(async () => {
    await ctx.server?.stop();
  });
  return ctx;
}

/** The XmlText holding `needle` and the index where it starts. */
export function textWith(doc: Y.Doc, needle: string): { text: Y.XmlText; index: number } {
  const walk = (el: Y.XmlElement | Y.XmlFragment): { text: Y.XmlText; index: number } | null => {
    for (const child of el.toArray()) {
      if (child instanceof Y.XmlText) {
        const plain = child.toDelta().map((op: { insert: unknown }) => (typeof op.insert === "string" ? op.insert : " ")).join("");
        const index = plain.indexOf(needle);
        if (index >= 0) return { text: child, index };
      } else if (child instanceof Y.XmlElement) {
        const hit = walk(child);
        if (hit) return hit;
      }
    }
    return null;
  };
  const hit = walk(body(doc));
  if (!hit) throw new Error(`"${needle}" not in the document`);
  return hit;
}
