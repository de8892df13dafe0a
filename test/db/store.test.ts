import { eq, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exec, first, inTransaction, NestedSyncTransactionError, rows, TransactionYieldedError, withTransaction, type Store } from "../../db/store";
import { testDialects, type TestStore } from "../helpers/stores";

const created = new Date("2026-12-01T10:00:00.000Z");

const addTeam = (store: Store, id: string, name = id) => exec(store, (db, t) => db.insert(t.teams).values({ id, name, createdAt: created }));
const teamIds = async (store: Store, prefix: string) =>
  (await exec(store, (db, t) => db.select({ id: t.teams.id }).from(t.teams).where(like(t.teams.id, `${prefix}%`)).orderBy(t.teams.id))).map((r) => r.id);

/** A promise and the function that resolves it, for making two transactions meet. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

const dialects = testDialects();
const [sqliteDialect, pgDialect] = dialects;

for (const dialect of dialects) {
  describe.skipIf(!dialect.available)(`store on ${dialect.name}`, () => {
    let ts: TestStore;
    let store: Store;
    beforeAll(async () => {
      ts = await dialect.open();
      store = ts.store;
    });
    afterAll(async () => ts?.close());

    it("commits what the body wrote and returns its result", async () => {
      const result = await withTransaction(store, async (tx) => {
        await addTeam(tx, "commit-a");
        await addTeam(tx, "commit-b");
        return "done";
      });
      expect(result).toBe("done");
      expect(await teamIds(store, "commit-")).toEqual(["commit-a", "commit-b"]);
    });

    it("rolls back everything when the body throws, and rethrows", async () => {
      const failure = withTransaction(store, async (tx) => {
        await addTeam(tx, "rollback-a");
        expect(await teamIds(tx, "rollback-")).toEqual(["rollback-a"]);
        throw new Error("refused");
      });
      await expect(failure).rejects.toThrow("refused");
      expect(await teamIds(store, "rollback-")).toEqual([]);
    });

    it("a nested withTransaction is a savepoint: its rollback keeps the outer writes", async () => {
      await withTransaction(store, async (tx) => {
        await addTeam(tx, "nest-outer");
        await expect(
          withTransaction(tx, async (inner) => {
            await addTeam(inner, "nest-inner");
            throw new Error("inner refused");
          }),
        ).rejects.toThrow("inner refused");
        await withTransaction(tx, async (inner) => addTeam(inner, "nest-kept"));
      });
      expect(await teamIds(store, "nest-")).toEqual(["nest-kept", "nest-outer"]);
    });

    it("first gives the first row or undefined; rows runs raw SQL with quoted aliases", async () => {
      await addTeam(store, "rows-1", "Desk One");
      const hit = first(await exec(store, (db, t) => db.select().from(t.teams).where(eq(t.teams.id, "rows-1")).limit(1)));
      expect(hit).toMatchObject({ id: "rows-1", name: "Desk One", exportPolicy: "everyone", createdAt: created });
      expect(first(await exec(store, (db, t) => db.select().from(t.teams).where(eq(t.teams.id, "missing")).limit(1)))).toBeUndefined();
      const raw = await rows<{ teamName: string }>(store, sql`select name as "teamName" from teams where id = ${"rows-1"}`);
      expect(raw).toEqual([{ teamName: "Desk One" }]);
    });
  });
}

describe("store on sqlite: one connection, one transaction at a time", () => {
  let ts: TestStore;
  let store: Store;
  beforeAll(async () => {
    ts = await sqliteDialect.open();
    store = ts.store;
  });
  afterAll(async () => ts?.close());

  it("two concurrent transactions do not interleave, and each sees its own writes", async () => {
    const log: string[] = [];
    const body = (name: string) => async (tx: Store) => {
      log.push(`${name} begin`);
      for (let i = 0; i < 5; i++) {
        await addTeam(tx, `conc-${name}-${i}`);
        // Only its own rows so far (the other transaction has not begun or has committed).
        expect(await teamIds(tx, `conc-${name}-`)).toHaveLength(i + 1);
        log.push(`${name} ${i}`);
      }
      log.push(`${name} end`);
    };
    await Promise.all([withTransaction(store, body("a")), withTransaction(store, body("b"))]);
    const a = log.filter((l) => l.startsWith("a"));
    const b = log.filter((l) => l.startsWith("b"));
    expect(log).toEqual([...a, ...b]);
    expect(await teamIds(store, "conc-")).toHaveLength(10);
  });

  it("a query outside the transaction waits for it, one inside runs at once", async () => {
    const order: string[] = [];
    const held = gate();
    const tx = withTransaction(store, async (t) => {
      await addTeam(t, "wait-1");
      held.open();
      // Awaits that are only microtasks: the outside query is queued meanwhile, not run.
      for (let i = 0; i < 20; i++) await Promise.resolve();
      order.push("tx end");
    });
    await held.opened;
    const outside = teamIds(store, "wait-").then((ids) => {
      order.push("outside");
      return ids;
    });
    await tx;
    // It ran after the commit, so it saw the committed row.
    expect(await outside).toEqual(["wait-1"]);
    expect(order).toEqual(["tx end", "outside"]);
  });

  it("a transaction begun while another is open and awaiting queries waits for it, and both commit in order", async () => {
    const log: string[] = [];
    const held = gate();
    const first = withTransaction(store, async (tx) => {
      await addTeam(tx, "overlap-1");
      log.push("first wrote");
      held.open();
      // Only microtasks: the second caller arrives while this transaction is open.
      for (let i = 0; i < 20; i++) await Promise.resolve();
      await addTeam(tx, "overlap-2");
      log.push("first end");
    });
    await held.opened;
    expect(store.dialect === "sqlite" && store.db.$client.inTransaction).toBe(true);
    // Called outside the first one's scope: not a savepoint of it, and not nested in a synchronous transaction.
    const second = withTransaction(store, async (tx) => {
      log.push("second begin");
      // The first one committed before this began.
      expect(await teamIds(tx, "overlap-")).toEqual(["overlap-1", "overlap-2"]);
      await addTeam(tx, "overlap-3");
    });
    await Promise.all([first, second]);
    expect(log).toEqual(["first wrote", "first end", "second begin"]);
    expect(await teamIds(store, "overlap-")).toEqual(["overlap-1", "overlap-2", "overlap-3"]);
  });

  it("work a body left running is outside its transaction once it ended: its query waits for the next one", async () => {
    const later = gate();
    let leftover!: Promise<string[]>;
    let inside: boolean | undefined;
    const order: string[] = [];
    await withTransaction(store, async (tx) => {
      await addTeam(tx, "left-1");
      // Not awaited: it goes on after the commit, carrying the transaction's async context.
      leftover = later.opened.then(() => {
        inside = inTransaction(store);
        return teamIds(store, "left-").then((ids) => {
          order.push("leftover");
          return ids;
        });
      });
    });
    const held = gate();
    const second = withTransaction(store, async (tx) => {
      held.open();
      for (let i = 0; i < 20; i++) await Promise.resolve();
      await addTeam(tx, "left-2");
      order.push("second end");
    });
    await held.opened;
    later.open();
    const ids = await leftover;
    await second;
    expect(inside).toBe(false);
    // It waited for the second transaction instead of running inside it.
    expect(order).toEqual(["second end", "leftover"]);
    expect(ids).toEqual(["left-1", "left-2"]);
  });

  it("rolls back and throws TransactionYieldedError when the body waits on a timer", async () => {
    const failure = withTransaction(store, async (tx) => {
      await addTeam(tx, "yield-1");
      await new Promise((resolve) => setTimeout(resolve, 5));
      await addTeam(tx, "yield-2");
    });
    await expect(failure).rejects.toBeInstanceOf(TransactionYieldedError);
    expect(await teamIds(store, "yield-")).toEqual([]);
    // The connection is usable again: no transaction left open.
    expect((store.dialect === "sqlite" && store.db.$client.inTransaction) || false).toBe(false);
    await withTransaction(store, async (tx) => addTeam(tx, "yield-after"));
    expect(await teamIds(store, "yield-")).toEqual(["yield-after"]);
  });

  it("a converted query called inside an unconverted synchronous transaction runs inside it", async () => {
    if (store.dialect !== "sqlite") throw new Error("sqlite store expected");
    const db = store.db;
    let pending: Promise<unknown> = Promise.resolve();
    expect(() =>
      db.transaction(() => {
        pending = addTeam(store, "sync-1");
        throw new Error("sync rollback");
      }),
    ).toThrow("sync rollback");
    await pending;
    // The insert ran before the synchronous ROLLBACK, so it was rolled back with it.
    expect(await teamIds(store, "sync-")).toEqual([]);
    let nested: Promise<unknown> = Promise.resolve();
    db.transaction(() => {
      nested = withTransaction(store, async () => undefined);
    });
    await expect(nested).rejects.toBeInstanceOf(NestedSyncTransactionError);
  });
});

describe("store on sqlite with a reporting yield policy (production)", () => {
  it("commits and reports instead of throwing", async () => {
    const reported: TransactionYieldedError[] = [];
    const ts = await sqliteDialect.open({ onYield: (err) => reported.push(err) });
    try {
      await withTransaction(ts.store, async (tx) => {
        await addTeam(tx, "report-1");
        await new Promise((resolve) => setTimeout(resolve, 5));
      });
      expect(reported).toHaveLength(1);
      expect(reported[0]).toBeInstanceOf(TransactionYieldedError);
      expect(await teamIds(ts.store, "report-")).toEqual(["report-1"]);
    } finally {
      await ts.close();
    }
  });
});

describe.skipIf(!pgDialect.available)("store on pg: transactions on pool connections", () => {
  let ts: TestStore;
  let store: Store;
  beforeAll(async () => {
    ts = await pgDialect.open();
    store = ts.store;
  });
  afterAll(async () => ts?.close());

  it("two concurrent transactions both commit, each seeing only its own uncommitted writes", async () => {
    // Both stay open with their writes uncommitted until each has read: neither may see the other's.
    const aWrote = gate();
    const bRead = gate();
    const aRead = gate();
    const seen: Record<string, string[]> = {};
    const a = withTransaction(store, async (tx) => {
      await addTeam(tx, "pgc-a");
      aWrote.open();
      await bRead.opened;
      seen.a = await teamIds(tx, "pgc-");
      aRead.open();
    });
    const b = withTransaction(store, async (tx) => {
      await aWrote.opened;
      await addTeam(tx, "pgc-b");
      seen.b = await teamIds(tx, "pgc-");
      bRead.open();
      await aRead.opened;
    });
    await Promise.all([a, b]);
    expect(seen).toEqual({ a: ["pgc-a"], b: ["pgc-b"] });
    expect(await teamIds(store, "pgc-")).toEqual(["pgc-a", "pgc-b"]);
  });
});
