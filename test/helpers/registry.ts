import http from "node:http";
import type { AddressInfo } from "node:net";
import type { IncomingMessage } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import { ByteBudget } from "../../server/collab/byte-budget";
import { noFanout } from "../../server/collab/fanout";
import type { RegistryOptions } from "../../server/collab/rooms";
import { recordingMetrics } from "./collab-metrics";

/** Limits of a registry under test: generous, with a short flush tick; `over` replaces any of them. */
export function registryOptions(over: Partial<RegistryOptions> = {}): RegistryOptions {
  return {
    flushMs: 10,
    compactAfter: 500,
    maxDocumentBytes: 32 * 1024 * 1024,
    settleMs: 50,
    readOnlyStrikeLimit: 20,
    maxPendingBytes: 1024 * 1024,
    maxPendingRetries: 8,
    maxMessagesPerSecond: 400,
    byteBudget: new ByteBudget(1024 * 1024, 4 * 1024 * 1024),
    maxBufferedBytes: 8 * 1024 * 1024,
    pingIntervalMs: 30_000,
    // Far beyond any hold a test makes on purpose: only a test of the deadline sets a short one.
    accessReadTimeoutMs: 120_000,
    maxConnectionsPerBriefing: 200,
    maxConnectionsPerUser: 50,
    metrics: recordingMetrics().metrics,
    fanout: noFanout,
    ...over,
  };
}

/**
 * A real WebSocket server on an ephemeral loopback port handing every socket to `join` (a
 * registry's connect, without the upgrade's checks). `close` ends the server and its sockets.
 */
export async function serveSockets(join: (ws: WebSocket, req: IncomingMessage) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server });
  wss.on("connection", join);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      wss.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
