// The reference server for `npm run bench`: @y/websocket-server 0.1.1 exactly as its own
// `src/server.js` wires it (same `ws` copy, same `setupWSConnection`, no persistence), with two
// additions the benchmark needs: it listens on the port it is given (0 = any) and prints the port
// it got, and GET /__bench/stats reports the documents it holds and its memory. Bench-only code.
import http from "node:http";
import { createRequire } from "node:module";

const serverEntry = createRequire(import.meta.url).resolve("@y/websocket-server/utils");
// Resolve `ws` the way the reference's own server.js does (its nested copy, if any).
const WebSocket = createRequire(serverEntry)("ws");
const { setupWSConnection, docs } = await import("@y/websocket-server/utils");

const host = process.env.HOST || "127.0.0.1";
const port = Number(process.env.PORT || 0);
const wss = new WebSocket.Server({ noServer: true });

const server = http.createServer((request, response) => {
  if (request.url === "/__bench/stats") {
    const mem = process.memoryUsage();
    response.writeHead(200, { "Content-Type": "application/json" });
    response.end(JSON.stringify({ docs: docs.size, heapUsed: mem.heapUsed, rss: mem.rss }));
    return;
  }
  response.writeHead(200, { "Content-Type": "text/plain" });
  response.end("okay");
});

wss.on("connection", setupWSConnection);
server.on("upgrade", (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
});
server.listen(port, host, () => {
  const address = server.address();
  console.log(JSON.stringify({ message: "listening", url: `http://${host}:${address.port}`, ws: WebSocket.Server ? "ok" : "?" }));
});
process.on("SIGTERM", () => process.exit(0));
