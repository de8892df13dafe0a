// A benchmark client process: hosts a few stock y-websocket `WebsocketProvider`s (ws polyfill,
// disableBc) and does what the orchestrator (scripts/bench/index.ts) asks over IPC. Clients live
// in several of these processes so that no single event loop hosting dozens of clients dominates
// the measured latency. Times are `process.hrtime` (CLOCK_MONOTONIC on Linux: one clock for every
// process on the machine), sent as milliseconds.
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import type { WorkerRequest } from "./protocol";
import { createRandom, fnv1a, nowMs, sleep } from "./util";

interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Bytes of every WebSocket message received. */
  bytes: number;
  /** hrtime (ms) of the last message the socket delivered, taken before the provider handles it. */
  lastArrival: number;
  /** Latency probe: marker sequence number → arrival time (ms). */
  arrivals: Map<number, number>;
  /** When the socket opened, and when the largest message so far arrived (ms). */
  openedAt: number;
  largest: { bytes: number; at: number };
}

const groups = new Map<string, Client[]>();
/** The body's XmlFragment name (extensions' COLLAB_FIELD), passed in so this process loads no Tiptap. */
const COLLAB_FIELD = process.env.BENCH_COLLAB_FIELD ?? "default";

function socketClass(headers: Record<string, string>, client: () => Client) {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers });
      // Registered before the provider's onmessage, so it runs first for each message.
      this.on("open", () => (client().openedAt = nowMs()));
      this.on("message", (data: ArrayBuffer | Buffer) => {
        const c = client();
        c.lastArrival = nowMs();
        c.bytes += data.byteLength;
        if (data.byteLength > c.largest.bytes) c.largest = { bytes: data.byteLength, at: c.lastArrival };
      });
      this.on("error", () => {});
    }
  };
}

interface Target {
  wsUrl: string;
  room: string;
  cookie?: string;
  origin?: string;
}

function openClient(target: Target): Client {
  const headers: Record<string, string> = {};
  if (target.cookie) headers.Cookie = target.cookie;
  if (target.origin) headers.Origin = target.origin;
  const doc = new Y.Doc();
  // eslint-disable-next-line prefer-const
  let client: Client;
  const provider = new WebsocketProvider(target.wsUrl, target.room, doc, {
    WebSocketPolyfill: socketClass(headers, () => client) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 500,
  });
  client = { doc, provider, bytes: 0, lastArrival: 0, arrivals: new Map(), openedAt: Number.NaN, largest: { bytes: 0, at: Number.NaN } };
  return client;
}

function waitSynced(c: Client, timeoutMs: number): Promise<void> {
  if (c.provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`client did not sync within ${timeoutMs} ms`)), timeoutMs);
    const onSync = (synced: boolean) => {
      if (!synced) return;
      clearTimeout(timer);
      c.provider.off("sync", onSync);
      resolve();
    };
    c.provider.on("sync", onSync);
  });
}

function destroyClient(c: Client): void {
  c.provider.destroy();
  c.doc.destroy();
}

function body(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(COLLAB_FIELD);
}

/** Every paragraph's text node, in document order (the places a typist can type into). */
function paragraphTexts(doc: Y.Doc): Y.XmlText[] {
  const out: Y.XmlText[] = [];
  for (const node of body(doc).toArray()) {
    if (node instanceof Y.XmlElement && node.nodeName === "paragraph") {
      const first = node.get(0);
      if (first instanceof Y.XmlText) out.push(first);
    }
  }
  return out;
}

function firstText(doc: Y.Doc): Y.XmlText {
  const texts = paragraphTexts(doc);
  if (texts.length === 0) throw new Error("document has no paragraph to type into");
  return texts[0];
}

function group(key: string): Client[] {
  const g = groups.get(key);
  if (!g) throw new Error(`no client group ${key}`);
  return g;
}

function stateVector(doc: Y.Doc): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [id, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) out[id] = clock;
  return out;
}

function covers(doc: Y.Doc, target: Record<string, number>): boolean {
  const sv = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const [id, clock] of Object.entries(target)) if ((sv.get(Number(id)) ?? 0) < clock) return false;
  return true;
}

const MARKER = /«(\d+)»/g;

const handlers = {
  /** Opens `count` clients as group `key` and waits until each has synced. */
  async connect(a: Target & { key: string; count: number; timeoutMs?: number; seedState?: string }) {
    const clients: Client[] = [];
    for (let i = 0; i < a.count; i++) clients.push(openClient(a));
    groups.set(a.key, [...(groups.get(a.key) ?? []), ...clients]);
    await Promise.all(clients.map((c) => waitSynced(c, a.timeoutMs ?? 30_000)));
    // The reference starts empty: the first client gives it the same initial document as ours.
    if (a.seedState && body(clients[0].doc).length === 0) {
      Y.applyUpdate(clients[0].doc, Buffer.from(a.seedState, "base64"));
    }
    return { clients: clients.length };
  },

  /** Records, for every client of the group, when each «n» marker inserted into the first paragraph arrives. */
  async armLatency(a: { key: string }) {
    for (const c of group(a.key)) {
      // The reference gets its initial document from another client: wait until it is here.
      for (let i = 0; i < 500 && paragraphTexts(c.doc).length === 0; i++) await sleep(10);
      const text = firstText(c.doc);
      text.observe((event) => {
        for (const d of event.delta) {
          if (typeof d.insert !== "string") continue;
          for (const m of d.insert.matchAll(MARKER)) {
            const seq = Number(m[1]);
            if (!c.arrivals.has(seq)) c.arrivals.set(seq, c.lastArrival);
          }
        }
      });
    }
    return { armed: group(a.key).length };
  },

  /** Waits until every client of the group holds the first paragraph's text of `length` chars or more. */
  async waitText(a: { key: string; includes: string; timeoutMs: number }) {
    const deadline = Date.now() + a.timeoutMs;
    for (;;) {
      const missing = group(a.key).filter((c) => !firstText(c.doc).toString().includes(a.includes)).length;
      if (missing === 0) return { ok: true };
      if (Date.now() > deadline) return { ok: false, missing };
      await sleep(10);
    }
  },

  /** The group's first client inserts `count` markers, one every `intervalMs`; returns the send times. */
  async write(a: { key: string; count: number; firstSeq: number; intervalMs: number }) {
    const c = group(a.key)[0];
    const text = firstText(c.doc);
    const sends: [number, number][] = [];
    for (let i = 0; i < a.count; i++) {
      const seq = a.firstSeq + i;
      const t = nowMs();
      text.insert(text.length, `«${seq}»`);
      sends.push([seq, t]);
      await sleep(a.intervalMs);
    }
    return { sends };
  },

  /** The group's first client types `text` at the start of the first paragraph. */
  async insertText(a: { key: string; text: string }) {
    firstText(group(a.key)[0].doc).insert(0, a.text);
    return { at: nowMs() };
  },

  /** Arrival times per client: [[seq, ms], …] for each. */
  async arrivals(a: { key: string }) {
    return { perClient: group(a.key).map((c) => Array.from(c.arrivals.entries())) };
  },

  /** Every client of the group types `edits` single-character edits at random places, concurrently. */
  async type(a: { key: string; edits: number; minMs: number; maxMs: number; seed: number }) {
    const clients = group(a.key);
    const lastSend: number[] = [];
    await Promise.all(
      clients.map(async (c, i) => {
        const rnd = createRandom(a.seed * 1000 + i);
        for (let n = 0; n < a.edits; n++) {
          const texts = paragraphTexts(c.doc);
          const text = texts[Math.floor(rnd() * texts.length)];
          const len = text.length;
          if (len > 0 && rnd() < 0.15) text.delete(Math.floor(rnd() * len), 1);
          else text.insert(Math.floor(rnd() * (len + 1)), String.fromCharCode(97 + Math.floor(rnd() * 26)));
          lastSend[i] = nowMs();
          await sleep(a.minMs + rnd() * (a.maxMs - a.minMs));
        }
      })
    );
    return { lastSend: Math.max(...lastSend), stateVectors: clients.map((c) => stateVector(c.doc)) };
  },

  /** Waits until every client holds at least `target` (a state vector); returns when and what each holds. */
  async awaitState(a: { key: string; target: Record<string, number>; timeoutMs: number }) {
    const clients = group(a.key);
    const reachedAt: number[] = [];
    await Promise.all(
      clients.map(
        (c, i) =>
          new Promise<void>((resolve) => {
            const check = () => {
              if (!covers(c.doc, a.target)) return false;
              reachedAt[i] = nowMs();
              c.doc.off("update", onUpdate);
              clearTimeout(timer);
              resolve();
              return true;
            };
            const onUpdate = () => void check();
            const timer = setTimeout(() => {
              c.doc.off("update", onUpdate);
              reachedAt[i] = Number.NaN;
              resolve();
            }, a.timeoutMs);
            c.doc.on("update", onUpdate);
            check();
          })
      )
    );
    return { reachedAt, digests: clients.map((c) => digest(c.doc)) };
  },

  /** The group's first client applies each update (base64) locally, so its provider sends it. */
  async sendUpdates(a: { key: string; updates: string[]; intervalMs: number }) {
    const c = group(a.key)[0];
    for (const u of a.updates) {
      Y.applyUpdate(c.doc, Buffer.from(u, "base64"));
      if (a.intervalMs > 0) await sleep(a.intervalMs);
    }
    return { stateVector: stateVector(c.doc), digest: digest(c.doc) };
  },

  /** Full-sync timing of a brand-new client, `repeats` times in a row. */
  async join(a: Target & { repeats: number; pauseMs: number; withText?: boolean }) {
    const runs: { ms: number; openMs: number; largestMs: number; bytes: number; digest: string; text?: string }[] = [];
    for (let r = 0; r < a.repeats; r++) {
      const t0 = nowMs();
      const c = openClient(a);
      await waitSynced(c, 60_000);
      const ms = nowMs() - t0;
      runs.push({
        ms,
        openMs: c.openedAt - t0,
        largestMs: c.largest.at - t0,
        bytes: c.bytes,
        digest: digest(c.doc),
        text: a.withText ? body(c.doc).toString() : undefined,
      });
      destroyClient(c);
      await sleep(a.pauseMs);
    }
    return { runs };
  },

  /** Opens each room in turn: sync, one small edit, close. Returns how many succeeded and how long it took. */
  async churn(a: Omit<Target, "room"> & { rooms: string[]; seedState?: string; timeoutMs: number }) {
    const started = nowMs();
    let ok = 0;
    const failures: string[] = [];
    const deadline = Date.now() + a.timeoutMs;
    for (const room of a.rooms) {
      if (Date.now() > deadline) {
        failures.push("time budget exhausted");
        break;
      }
      const c = openClient({ ...a, room });
      try {
        await waitSynced(c, 10_000);
        if (a.seedState && body(c.doc).length === 0) Y.applyUpdate(c.doc, Buffer.from(a.seedState, "base64"));
        firstText(c.doc).insert(0, "Opened. ");
        // Let the socket write the update before closing it.
        await sleep(2);
        ok++;
      } catch (err) {
        failures.push(`${room}: ${(err as Error).message}`);
      } finally {
        destroyClient(c);
      }
    }
    return { ok, failures: failures.slice(0, 5), ms: nowMs() - started };
  },

  /**
   * Opens every room at once (at most `concurrency` sockets opening at a time), waits for each to
   * sync, makes one edit in each, keeps them all open until every room was edited, then closes them.
   */
  async openMany(a: Omit<Target, "room"> & { rooms: string[]; seedState?: string; concurrency: number; timeoutMs: number }) {
    const started = nowMs();
    const open: Client[] = [];
    const failures: string[] = [];
    let ok = 0;
    let next = 0;
    const lane = async () => {
      while (next < a.rooms.length) {
        const room = a.rooms[next++];
        const c = openClient({ ...a, room });
        open.push(c);
        try {
          await waitSynced(c, a.timeoutMs);
          if (a.seedState && body(c.doc).length === 0) Y.applyUpdate(c.doc, Buffer.from(a.seedState, "base64"));
          firstText(c.doc).insert(0, "Opened at once. ");
          ok++;
        } catch (err) {
          failures.push(`${room}: ${(err as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, a.concurrency) }, lane));
    const ms = nowMs() - started;
    // Let the sockets write their edits before closing them.
    await sleep(200);
    for (const c of open) destroyClient(c);
    return { ok, failures: failures.slice(0, 5), ms };
  },

  async destroy(a: { key: string }) {
    for (const c of groups.get(a.key) ?? []) destroyClient(c);
    groups.delete(a.key);
    return { ok: true };
  },
};

/** Content digest: the body as XML text plus the state vector, hashed. */
function digest(doc: Y.Doc): string {
  const sv = Object.entries(stateVector(doc))
    .sort(([x], [y]) => Number(x) - Number(y))
    .map(([id, clock]) => `${id}:${clock}`)
    .join(",");
  return `${fnv1a(body(doc).toString())}/${fnv1a(sv)}/${body(doc).toString().length}`;
}

process.on("message", (msg: WorkerRequest) => {
  const handler = (handlers as Record<string, (a: unknown) => Promise<unknown>>)[msg.cmd];
  const reply = (payload: object) => process.send?.({ id: msg.id, ...payload });
  if (!handler) return reply({ error: `unknown command ${msg.cmd}` });
  handler(msg.args).then(
    (result) => reply({ result }),
    (err: Error) => reply({ error: err.stack ?? String(err) })
  );
});
process.on("disconnect", () => process.exit(0));
process.send?.({ id: 0, result: "ready" });
