import http from "node:http";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { COLLAB_FIELD } from "../../extensions";
import { loginAs, type DemoRole } from "./http";

export const DEMO_BRIEFING = "ankara-summit";

// Each y-websocket provider adds a process "exit" listener (removed on destroy); the convergence
// tests hold twenty at once, which is not the leak Node's default warning at ten suspects.
process.setMaxListeners(Math.max(process.getMaxListeners(), 64));

/** A `ws` class that sends our session cookie and an Origin header, as a browser on our origin would. */
export function webSocketWith(headers: Record<string, string>): typeof globalThis.WebSocket {
  class WebSocketWithHeaders extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  }
  // y-websocket only calls `new WS(url, protocols)`; `ws` is API-compatible for that use.
  return WebSocketWithHeaders as unknown as typeof globalThis.WebSocket;
}

export interface YClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Every close the provider saw, in order. */
  closes: { code: number; reason: string }[];
  destroy(): void;
}

export interface ConnectOptions {
  briefingId?: string;
  /** Override the Origin header (default: the server's own origin); null sends none. */
  origin?: string | null;
  /** Wait for the first sync (default true). */
  waitForSync?: boolean;
  /** Let the provider reconnect after a close (default false: a test wants to see each close). */
  reconnect?: boolean;
  /** Query parameters on the socket URL (the browser editor sends `schema`). */
  params?: Record<string, string>;
}

const live = new Set<YClient>();

/** Destroys every client a test opened and did not destroy (use in afterEach, so a failed test leaks nothing). */
export function destroyAllClients(): void {
  for (const c of Array.from(live)) c.destroy();
}

/** A stock y-websocket provider on `/collab/<briefingId>`, authenticated by `cookie`. */
export async function connectClient(baseUrl: string, cookie: string | null, opts: ConnectOptions = {}): Promise<YClient> {
  const doc = new Y.Doc();
  const headers: Record<string, string> = {};
  if (cookie) headers.Cookie = cookie;
  const origin = opts.origin === undefined ? baseUrl : opts.origin;
  if (origin) headers.Origin = origin;
  const provider = new WebsocketProvider(baseUrl.replace(/^http/, "ws") + "/collab", opts.briefingId ?? DEMO_BRIEFING, doc, {
    WebSocketPolyfill: webSocketWith(headers),
    disableBc: true,
    maxBackoffTime: 200,
    params: opts.params ?? {},
  });
  const closes: YClient["closes"] = [];
  provider.on("connection-close", (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
    if (!opts.reconnect) provider.shouldConnect = false;
  });
  const client: YClient = {
    doc,
    provider,
    closes,
    destroy() {
      live.delete(client);
      provider.destroy();
      doc.destroy();
    },
  };
  live.add(client);
  if (opts.waitForSync !== false) await waitForSync(provider);
  return client;
}

export function waitForSync(provider: WebsocketProvider, timeoutMs = 10_000): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("client did not sync")), timeoutMs);
    const onSync = (synced: boolean) => {
      if (!synced) return;
      clearTimeout(timer);
      provider.off("sync", onSync);
      resolve();
    };
    provider.on("sync", onSync);
  });
}

/** `n` synced clients signed in as `role` (one sign-in, one cookie shared, like tabs of one browser). */
export async function connectClients(baseUrl: string, role: DemoRole, n: number, opts: ConnectOptions = {}): Promise<YClient[]> {
  const cookie = await loginAs(baseUrl, role);
  return Promise.all(Array.from({ length: n }, () => connectClient(baseUrl, cookie, opts)));
}

/** Retries `assertion` until it passes or `timeoutMs` elapses (then throws its last error). */
export async function eventually<T>(assertion: () => T | Promise<T>, timeoutMs = 5000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}

/** The ProseMirror body fragment every briefing document uses. */
export function body(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(COLLAB_FIELD);
}

/** The text of the body's first paragraph (the seeded "Purpose: …" line): a place to type into. */
export function firstParagraph(doc: Y.Doc): Y.XmlText {
  for (const node of body(doc).toArray()) {
    if (node instanceof Y.XmlElement && node.nodeName === "paragraph") {
      const text = node.get(0);
      if (text instanceof Y.XmlText) return text;
    }
  }
  throw new Error("no paragraph with text in the document");
}

/** Syncs a fresh client as the owner and returns the body as stored/served by the server. */
export async function readBody(baseUrl: string, cookie: string, briefingId = DEMO_BRIEFING): Promise<string> {
  const client = await connectClient(baseUrl, cookie, { briefingId });
  const text = body(client.doc).toString();
  client.destroy();
  return text;
}

/** The HTTP status the server answers a WebSocket upgrade with (101 when it accepts). */
export function upgradeStatus(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(baseUrl);
    // Options instead of a URL string: the path goes out exactly as given (no dot-segment folding).
    const req = http.request({
      hostname,
      port,
      path,
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        ...headers,
      },
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("upgrade", (_res, socket) => {
      socket.destroy();
      resolve(101);
    });
    req.on("error", reject);
    req.end();
  });
}

export interface RawSocket {
  ws: WebSocket;
  messages: Buffer[];
  /** Resolves with the close code and reason the server sent. */
  closed: Promise<{ code: number; reason: string }>;
  opened: Promise<void>;
}

/** A bare `ws` socket on `/collab/<briefingId>` for sending hand-made (or broken) messages. */
export function rawSocket(baseUrl: string, cookie: string, briefingId = DEMO_BRIEFING): RawSocket {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/collab/${briefingId}`, { headers: { Cookie: cookie, Origin: baseUrl } });
  const messages: Buffer[] = [];
  ws.on("message", (data) => messages.push(data as Buffer));
  ws.on("error", () => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const opened = new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
  return { ws, messages, closed, opened };
}

/** Reads one counter or gauge value from /metrics (label filter as `{reason="x"}` text). */
export async function metricValue(baseUrl: string, token: string, name: string, labels = ""): Promise<number> {
  return (await scrapeMetrics(baseUrl, token))(name, labels);
}

/** One scrape of /metrics, read for several values (0 for a series it does not have). */
export async function scrapeMetrics(baseUrl: string, token: string): Promise<(name: string, labels?: string) => number> {
  const res = await fetch(`${baseUrl}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  const lines = (await res.text()).split("\n");
  return (name, labels = "") => {
    const line = lines.find((l) => l.startsWith(`${name}${labels} `));
    return line ? Number(line.split(" ").pop()) : 0;
  };
}
