import type { Request, RequestHandler } from "express";

/**
 * Caps request bodies before Remix buffers them: a declared length over the limit gets 413, and a
 * body without a declared length is counted as it streams and cut off at the limit.
 */
export function bodyLimit(limit: number | ((req: Request) => number)): RequestHandler {
  return (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD") return next();
    const maxBytes = typeof limit === "number" ? limit : limit(req);
    const declared = Number(req.headers["content-length"] ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      res.status(413).type("text/plain").send(`Request body too large: at most ${maxBytes} bytes.`);
      return;
    }
    if (!Number.isFinite(declared)) {
      let seen = 0;
      req.on("data", (chunk: Buffer) => {
        seen += chunk.length;
        if (seen > maxBytes && !res.headersSent) {
          res.status(413).type("text/plain").send(`Request body too large: at most ${maxBytes} bytes.`);
          req.destroy();
        }
      });
    }
    next();
  };
}
