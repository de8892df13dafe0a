import { afterAll, beforeAll, describe } from "vitest";
import type { SuggestionView } from "../../app/suggestions/types";
import { anchorFor, json } from "../comments/comment-api";
import { loginAll } from "../helpers/http";
import type { TestServer } from "../helpers/server";
import { serverDialects, type DialectServer } from "../helpers/server-dialects";
import {
  connectClient,
  destroyAllClients,
  type YClient,
} from "../helpers/yclient";
import { suggestionApi } from "./suggestion-api";

export type Role = "owner" | "editor" | "commenter" | "viewer";

/** The running database's server, the four demo sign-ins and a viewer's stock client on the demo briefing. */
export interface SocketSuite {
  env: DialectServer;
  server: TestServer;
  cookies: Record<Role, string>;
  reader: YClient;
}

/**
 * The socket suggestion suites' set-up: `forEachDialect` runs `body` in one describe per database
 * (SQLite, and PostgreSQL where available), each with its own server started before and stopped
 * after; `t` is the running one's, filled in by its beforeAll (one object, so helpers defined at
 * a file's top level can read it).
 */
export function socketSuite() {
  const t = {} as SocketSuite;
  return {
    t,
    forEachDialect(
      title: (dialect: string) => string,
      body: () => void,
      timeoutMs = 60_000
    ): void {
      for (const dialect of serverDialects()) {
        describe.skipIf(!dialect.available)(
          title(dialect.name),
          { timeout: timeoutMs },
          () => {
            beforeAll(async () => {
              t.env = await dialect.start();
              t.server = t.env.server;
              t.cookies = await loginAll(t.server.url);
              t.reader = await connectClient(t.server.url, t.cookies.viewer);
            }, timeoutMs);
            afterAll(async () => {
              destroyAllClients();
              await t.env?.close();
            });
            body();
          }
        );
      }
    },
    /** The commenter suggests replacing `needle` (found in the reader's document) with `replacement`. */
    async suggest(
      needle: string,
      replacement: string
    ): Promise<SuggestionView> {
      const api = suggestionApi(t.server.url, t.cookies.commenter);
      return (
        await json<{ suggestion: SuggestionView }>(
          await api.suggest(anchorFor(t.reader.doc, needle), replacement),
          201
        )
      ).suggestion;
    },
  };
}
