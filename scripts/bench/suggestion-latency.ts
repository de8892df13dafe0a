/**
 * Accept-to-other-client latency of a suggested edit against a plain live edit: `node --import tsx
 * scripts/bench/suggestion-latency.ts` (builds into .build-bench, starts our server in production
 * mode). Each round times, on a second stock y-websocket client, how long until it sees (a) a word
 * typed by another client and (b) the replacement of a suggestion an editor accepts over HTTP
 * (from sending the POST). Figures go into docs/benchmarks.md by hand.
 */
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import * as Y from "yjs";
import { anchorFor } from "../../test/comments/comment-api";
import { loginAs } from "../../test/helpers/http";
import { body, connectClient } from "../../test/helpers/yclient";
import { plainBody, suggestionApi } from "../../test/suggestions/suggestion-api";
import { buildApp, startOurServer } from "./processes";
import { median, nowMs, percentile } from "./util";

const ROUNDS = Number(process.env.ROUNDS ?? 40);

function firstText(doc: Y.Doc): Y.XmlText {
  for (const el of body(doc).toArray()) {
    if (el instanceof Y.XmlElement && el.nodeName === "paragraph") {
      const t = el.toArray().find((c): c is Y.XmlText => c instanceof Y.XmlText);
      if (t) return t;
    }
  }
  throw new Error("no paragraph text");
}

async function seen(doc: Y.Doc, needle: string, since: number): Promise<number> {
  return new Promise((resolve) => {
    const check = () => {
      if (plainBody(doc).includes(needle)) {
        doc.off("update", check);
        resolve(nowMs() - since);
      }
    };
    doc.on("update", check);
    check();
  });
}

async function main() {
  buildApp();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-suggest-"));
    // The bench suggests far faster than people; the comment rate limit would refuse it.
  const server = await startOurServer(path.join(dir, "bench.db"), path.join(dir, "server.log"), { COMMENT_RATE_BURST: "100000" });
  try {
    const [editor, commenter] = await Promise.all([loginAs(server.url, "editor"), loginAs(server.url, "commenter")]);
    const writer = await connectClient(server.url, editor);
    const reader = await connectClient(server.url, commenter);
    const api = suggestionApi(server.url, commenter);
    const decide = suggestionApi(server.url, editor);
    const live: number[] = [];
    const accept: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const word = ` live${i}x`;
      const t0 = nowMs();
      const wait = seen(reader.doc, word, t0);
      firstText(writer.doc).insert(0, word);
      live.push(await wait);

      const target = `live${i}x`;
      let res = await api.suggest(anchorFor(writer.doc, target), `acc${i}y`);
      // 409 while the typed word is still on its way to the server.
      for (let tries = 0; res.status === 409 && tries < 50; tries++) res = await api.suggest(anchorFor(writer.doc, target), `acc${i}y`);
      if (res.status !== 201) throw new Error(`suggest answered ${res.status}: ${await res.text()}`);
      const { suggestion } = (await res.json()) as { suggestion: { id: string } };
      const t1 = nowMs();
      const waitAccept = seen(reader.doc, `acc${i}y`, t1);
      const done = await decide.accept(suggestion.id);
      if (done.status !== 200) throw new Error(`accept answered ${done.status}`);
      accept.push(await waitAccept);
    }
    const fmt = (v: number) => `${v.toFixed(2)} ms`;
    console.log(`| Scenario | p50 | p95 | max |\n| --- | --- | --- | --- |`);
    console.log(`| plain live edit → other client (${ROUNDS}) | ${fmt(median(live))} | ${fmt(percentile(live, 95))} | ${fmt(Math.max(...live))} |`);
    console.log(`| accept POST → other client sees replacement (${ROUNDS}) | ${fmt(median(accept))} | ${fmt(percentile(accept, 95))} | ${fmt(Math.max(...accept))} |`);
    writer.destroy();
    reader.destroy();
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
