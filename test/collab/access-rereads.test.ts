import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { migratePostgres } from "../../db/pg/migrate";
import { createSession } from "../../db/queries/sessions";
import { openPgStore, openSqliteStore, withTransaction, type Store } from "../../db/store";
import { presenceFor } from "../../server/collab/awareness-guard";
import { CLOSE } from "../../server/collab/close-codes";
import type { Connection } from "../../server/collab/connection";
import { RoomRegistry, type RegistryOptions } from "../../server/collab/rooms";
import { createLogger } from "../../server/logger";
import { openDocumentStore } from "../../server/persistence/document-stores";
import { DEMO_BRIEFING_ID, DEMO_TEAM_ID, seedDemo } from "../../server/seed/demo";
import { awarenessMarker } from "../helpers/marker";
import { createPostgresDatabase, postgresAvailable } from "../helpers/postgres";
import { registryOptions, serveSockets } from "../helpers/registry";
import { tempDir } from "../helpers/server";
import { body, connectClient, destroyAllClients, eventually, firstParagraph, type YClient } from "../helpers/yclient";

/**
 * The registry re-reads a socket's role and its briefing's status through the Store after an
 * access change (docs/decisions/0122). Real registry on a real database (a SQLite file, a
 * PostgreSQL database), real WebSocket server, stock y-websocket clients; the reads are held up by
 * real locks: a row lock can't do it (reads don't wait for one), so PostgreSQL gets a table lock
 * from another connection and SQLite an open transaction holding the store's mutex.
 */

const logger = createLogger("silent");
const hasPostgres = postgresAvailable();

interface Setup {
  queries: Store;
  url: string;
  registry: RoomRegistry;
  /** A plain SQL statement on the database, outside the registry's store. */
  sql(text: string, values?: unknown[]): Promise<unknown[]>;
  /** PostgreSQL: a connection of its own, outside every pool (closed after the test). */
  client(): Promise<pg.Client>;
  /** When set, sockets join as if admitted at this accessEpoch (the upgrade's note before its reads). */
  admittedAt?: number;
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  destroyAllClients();
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function openStore(dialect: "sqlite" | "pg"): Promise<Pick<Setup, "queries" | "sql" | "client">> {
  if (dialect === "sqlite") {
    const db = openDatabase(path.join(tempDir(), "rereads.db"));
    migrateDatabase(db);
    stops.push(async () => void db.$client.close());
    const sql = async (text: string, values: unknown[] = []) => {
      const statement = db.$client.prepare(text);
      if (statement.reader) return statement.all(...values);
      statement.run(...values);
      return [];
    };
    return { queries: openSqliteStore(db), sql, client: () => Promise.reject(new Error("PostgreSQL only")) };
  }
  const database = await createPostgresDatabase();
  stops.push(() => database.drop());
  await migratePostgres(database.url);
  const queries = openPgStore(database.url, { max: 8 });
  stops.push(() => (queries.dialect === "pg" ? queries.db.$client.end() : Promise.resolve()));
  const admin = new pg.Pool({ connectionString: database.url, max: 2 });
  stops.push(() => admin.end());
  const client = async () => {
    const c = new pg.Client({ connectionString: database.url });
    await c.connect();
    stops.push(() => c.end());
    return c;
  };
  const sql = async (text: string, values: unknown[] = []) => (await admin.query(numbered(text), values)).rows;
  return { queries, sql, client };
}

/** Statements are written with `?` for both dialects; PostgreSQL numbers them. */
function numbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

/**
 * Holds up the registry's reads until the returned function is called, after running `write`
 * inside: PostgreSQL, a transaction of a connection of its own holding `table` in access exclusive
 * mode; SQLite, an open transaction holding the store's mutex (every read of the store waits).
 */
async function holdLock(s: Setup, table: string, write?: { sql: string; values: unknown[] }): Promise<() => Promise<void>> {
  if (s.queries.dialect === "sqlite") {
    const db = s.queries.db;
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => (commit = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    // The body waits for the test (not for a query), so it is told not to throw for yielding.
    const finished = withTransaction(openSqliteStore(db, { onYield: () => {} }), async () => {
      if (write) db.$client.prepare(write.sql).run(...write.values);
      entered();
      await committed;
    });
    await inside;
    return async () => {
      commit();
      await finished;
    };
  }
  const locker = await s.client();
  await locker.query("begin");
  await locker.query(`lock table ${table} in access exclusive mode`);
  if (write) await locker.query(numbered(write.sql), write.values);
  return async () => void (await locker.query("commit"));
}

/** The demo data, sessions for the editor and the owner, and a registry whose sockets join as `?as=editor|owner`. */
async function setup(dialect: "sqlite" | "pg", over: Partial<RegistryOptions> = {}): Promise<Setup> {
  const { queries, sql, client } = await openStore(dialect);
  await seedDemo(queries, openDocumentStore(queries));
  const people = {
    editor: { userId: "demo-editor", name: "Emre", role: "editor" as const },
    owner: { userId: "demo-owner", name: "Aigerim", role: "owner" as const },
  };
  const identities = Object.fromEntries(
    await Promise.all(
      Object.entries(people).map(async ([key, p]) => {
        const { sessionId } = await createSession(queries, p.userId, 3_600_000);
        const presence = presenceFor({ id: p.userId, name: p.name, color: "#2f6fab" });
        return [key, { userId: p.userId, sessionId, sessionExpiresAt: Date.now() + 3_600_000, role: p.role, presence }];
      }),
    ),
  );
  const registry = new RoomRegistry(queries, openDocumentStore(queries), registryOptions(over), logger);
  const setup: Setup = { queries, url: "", registry, sql, client };
  const served = await serveSockets((ws, req) => {
    const as = new URL(req.url ?? "/", "http://x").searchParams.get("as") ?? "editor";
    void registry.connect(ws, DEMO_BRIEFING_ID, identities[as], DEMO_TEAM_ID, false, setup.admittedAt);
  });
  stops.push(async () => {
    await registry.shutdown(CLOSE.serverRestarting);
    await served.close();
  });
  setup.url = served.url;
  return setup;
}

function connectionOf(registry: RoomRegistry, userId: string): Connection {
  const conn = Array.from(registry.get(DEMO_BRIEFING_ID)?.connections ?? []).find((c) => c.userId === userId);
  if (!conn) throw new Error(`no open connection of ${userId}`);
  return conn;
}

/** Backends of this database waiting for a lock (PostgreSQL). */
async function waitingForLock(s: Setup): Promise<number> {
  const rows = (await s.sql("select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")) as { n: number }[];
  return rows[0].n;
}

/** How many reads of this database wait for a lock. */
async function selectsWaitingForLock(s: Setup): Promise<number> {
  const rows = (await s.sql(
    "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query ilike 'select%'",
  )) as { n: number }[];
  return rows[0].n;
}

/** No backend of this database is running a statement, other than the ones waiting for a lock and this one. */
async function othersIdle(s: Setup): Promise<boolean> {
  const rows = (await s.sql(
    "select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state = 'active' and wait_event_type is distinct from 'Lock'",
  )) as { n: number }[];
  return rows[0].n === 0;
}

const setRole = (s: Setup, role: string) => s.sql("update memberships set role = ? where team_id = ? and user_id = ?", [role, DEMO_TEAM_ID, "demo-editor"]);

/** Types `text` on `writer` and proves, with a marker through the same socket, whether `watcher` got it. */
async function reached(writer: YClient, watcher: YClient, text: string): Promise<boolean> {
  firstParagraph(writer.doc).insert(0, text);
  expect(await awarenessMarker(writer, watcher, 20_000)).toBe(true);
  return body(watcher.doc).toString().includes(text);
}

describe.skipIf(!hasPostgres)("access re-reads on PostgreSQL", { timeout: 120_000 }, () => {
  it("an answer read before a later role change, delivered after it, does not put the old role back", async () => {
    const s = await setup("pg");
    const editor = await connectClient(s.url, null, { params: { as: "editor" } });
    const watcher = await connectClient(s.url, null, { params: { as: "owner" } });
    const conn = connectionOf(s.registry, "demo-editor");
    expect(conn.currentRole).toBe("editor");

    // A resync reads each socket's session and role at once. Its session reads wait behind a lock
    // on the sessions table; its role reads are answered: "editor".
    const locker = await s.client();
    await locker.query("begin");
    await locker.query("lock table sessions in access exclusive mode");
    const resync = s.registry.recheckAll();
    await eventually(async () => {
      expect(await waitingForLock(s)).toBe(2);
      expect(await othersIdle(s)).toBe(true);
    }, 20_000);

    // Meanwhile the editor is lowered to viewer, and that change's own read applies it.
    await setRole(s, "viewer");
    await s.registry.membershipChanged(DEMO_TEAM_ID, "demo-editor");
    expect(conn.currentRole).toBe("viewer");

    // The resync's answers come in now: its "editor" is older than "viewer" and must not apply.
    await locker.query("commit");
    await resync;
    expect(conn.currentRole).toBe("viewer");
    expect(conn.isClosed).toBe(false);
    expect(await reached(editor, watcher, "stale-editor ")).toBe(false);
  });
});

for (const dialect of ["sqlite", "pg"] as const) {
  describe.skipIf(dialect === "pg" && !hasPostgres)(`re-reads on ${dialect}`, { timeout: 120_000 }, () => {
    it("a socket admitted before a role change and joining after it gets the new role", async () => {
      const s = await setup(dialect);
      const watcher = await connectClient(s.url, null, { params: { as: "owner" } });
      // The upgrade noted the epoch and read "editor"; then the editor is lowered before it joins.
      s.admittedAt = s.registry.accessEpoch;
      await setRole(s, "viewer");
      await s.registry.membershipChanged(DEMO_TEAM_ID, "demo-editor");
      const editor = await connectClient(s.url, null, { params: { as: "editor" } });
      await eventually(() => expect(connectionOf(s.registry, "demo-editor").currentRole).toBe("viewer"), 20_000);
      expect(await reached(editor, watcher, "late-join ")).toBe(false);
    });

    // A role read holds the member's socket; a status read holds every socket of the room.
    for (const read of [
      { what: "role", table: "memberships", held: ["editor"], start: (s: Setup) => s.registry.membershipChanged(DEMO_TEAM_ID, "demo-editor") },
      { what: "status", table: "briefings", held: ["editor", "owner"], start: (s: Setup) => s.registry.briefingChanged(DEMO_BRIEFING_ID) },
    ]) {
      it(`a ${read.what} read held up past the deadline closes the held sockets with 4500; reconnecting after the lock, the edit typed meanwhile syncs`, async () => {
        const deadline = 1500;
        const s = await setup(dialect, { accessReadTimeoutMs: deadline });
        const clients = { editor: await connectClient(s.url, null, { params: { as: "editor" } }), owner: await connectClient(s.url, null, { params: { as: "owner" } }) };
        const release = await holdLock(s, read.table);
        const started = performance.now();
        const answered = read.start(s);
        // Typed while its socket is held: not read, and not lost either.
        firstParagraph(clients.editor.doc).insert(0, "held-edit ");

        const accessCheckFailed = { code: 4500, reason: "access could not be checked: reconnect" };
        await eventually(() => expect(clients.editor.closes).toEqual([accessCheckFailed]), deadline + 20_000);
        const elapsed = performance.now() - started;
        expect(elapsed).toBeGreaterThanOrEqual(deadline - 5);
        expect(elapsed).toBeLessThan(deadline + 20_000);
        for (const who of read.held) await eventually(() => expect(clients[who as keyof typeof clients].closes).toEqual([accessCheckFailed]), 20_000);
        if (!read.held.includes("owner")) expect(clients.owner.closes).toEqual([]);
        // The read is still waiting for the lock: the deadline, not an answer, closed the socket.
        if (s.queries.dialect === "pg") expect(await selectsWaitingForLock(s)).toBeGreaterThanOrEqual(1);
        // Nothing of it was taken meanwhile (the room may have unloaded with its last socket).
        const room = s.registry.get(DEMO_BRIEFING_ID);
        expect(room ? firstParagraph(room.doc).toString() : "").not.toContain("held-edit");

        await release();
        await answered;
        clients.editor.provider.connect();
        const check = await connectClient(s.url, null, { params: { as: "owner" } });
        await eventually(() => expect(firstParagraph(check.doc).toString()).toContain("held-edit "), 20_000);
        expect(firstParagraph(s.registry.get(DEMO_BRIEFING_ID)!.doc).toString()).toContain("held-edit ");
      });
    }

    it("an edit sent while the status read of a finalize waits is judged by the new status, not applied as a draft's", async () => {
      const s = await setup(dialect);
      const editor = await connectClient(s.url, null, { params: { as: "editor" } });
      const watcher = await connectClient(s.url, null, { params: { as: "owner" } });
      expect(await reached(editor, watcher, "draft-edit ")).toBe(true);

      // The briefing is finalized by a writer that still holds the lock the registry's read needs.
      const release = await holdLock(s, "briefings", { sql: "update briefings set status = 'final' where id = ?", values: [DEMO_BRIEFING_ID] });
      const announced = s.registry.briefingChanged(DEMO_BRIEFING_ID);
      // The registry's read of the briefing waits for the lock (a room's flush may wait beside it).
      if (s.queries.dialect === "pg") await eventually(async () => expect(await selectsWaitingForLock(s)).toBeGreaterThanOrEqual(1), 20_000);

      // Typed while the read waits, then time for the server to read it (not an assertion): a
      // socket read now would apply it as a draft's edit and pass it on at once.
      firstParagraph(editor.doc).insert(0, "while-finalizing ");
      await new Promise((r) => setTimeout(r, 300));

      await release();
      await announced;
      expect(s.registry.get(DEMO_BRIEFING_ID)?.final).toBe(true);
      expect(await awarenessMarker(editor, watcher, 20_000)).toBe(true);
      expect(body(watcher.doc).toString()).not.toContain("while-finalizing");
      expect(firstParagraph(s.registry.get(DEMO_BRIEFING_ID)!.doc).toString()).not.toContain("while-finalizing");
    });
  });
}
