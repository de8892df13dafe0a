/**
 * Accept-to-other-client latency of a suggested edit against a plain live edit. Scenario 15 of
 * `npm run bench` (scenario-suggestions.ts) calls `suggestionLatency`; run alone with `node --import
 * tsx scripts/bench/suggestion-latency.ts` (builds into .build-bench, starts our server in
 * production mode). Each round times, on a second stock y-websocket client, how long until it sees
 * (a) a word typed by another client, (b) the replacement of a suggestion an editor accepts over
 * HTTP (from sending the POST) and (c) one the editor accepts over its open socket (from sending the
 * message; docs/decisions/0507).
 */
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import * as Y from "yjs";
import { SocketDecisions } from "../../app/suggestions/socket-decisions";
import { anchorFor } from "../../test/comments/comment-api";
import { loginAs } from "../../test/helpers/http";
import { body, connectClient } from "../../test/helpers/yclient";
import { plainBody, suggestionApi } from "../../test/suggestions/suggestion-api";
import { pathToFileURL } from "node:url";
import { buildApp, startOurServer } from "./processes";
import { median, nowMs, percentile } from "./util";

/** The bench suggests far faster than people; the comment rate limit would refuse it. */
export const SUGGESTION_BENCH_ENV = { COMMENT_RATE_BURST: "100000" };

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

export interface SuggestionLatency {
  /** Per round: a typed word, from the insert to the other client seeing it (ms). */
  live: number[];
  /** Per round: an accepted suggestion, from sending the accept POST to the other client seeing the replacement (ms). */
  accept: number[];
  /** Per round: an accepted suggestion, from sending the accept over the editor's socket to the other client seeing the replacement (ms). */
  acceptSocket: number[];
}

/** `rounds` rounds on the demo briefing of a running server of ours (started with SUGGESTION_BENCH_ENV). */
export async function suggestionLatency(baseUrl: string, rounds: number): Promise<SuggestionLatency> {
  const [editor, commenter] = await Promise.all([loginAs(baseUrl, "editor"), loginAs(baseUrl, "commenter")]);
  const writer = await connectClient(baseUrl, editor);
  const reader = await connectClient(baseUrl, commenter);
  try {
    const api = suggestionApi(baseUrl, commenter);
    const decide = suggestionApi(baseUrl, editor);
    const live: number[] = [];
    const accept: number[] = [];
    const acceptSocket: number[] = [];
    const overSocket = new SocketDecisions(writer.provider);
    const suggest = async (target: string, replacement: string) => {
      let res = await api.suggest(anchorFor(writer.doc, target), replacement);
      // 409 while the typed word is still on its way to the server.
      for (let tries = 0; res.status === 409 && tries < 50; tries++) res = await api.suggest(anchorFor(writer.doc, target), replacement);
      if (res.status !== 201) throw new Error(`suggest answered ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { suggestion: { id: string } }).suggestion;
    };
    // Words unique to this call: the bench database keeps the demo briefing between runs.
    const tag = Date.now().toString(36);
    for (let i = 0; i < rounds; i++) {
      const word = ` live${tag}${i}x`;
      const t0 = nowMs();
      const wait = seen(reader.doc, word, t0);
      firstText(writer.doc).insert(0, word);
      live.push(await wait);

      const target = `live${tag}${i}x`;
      const replacement = `acc${tag}${i}y`;
      const suggestion = await suggest(target, replacement);
      const t1 = nowMs();
      const waitAccept = seen(reader.doc, replacement, t1);
      const done = await decide.accept(suggestion.id);
      if (done.status !== 200) throw new Error(`accept answered ${done.status}`);
      accept.push(await waitAccept);

      const again = `sock${tag}${i}z`;
      const second = await suggest(replacement, again);
      const t2 = nowMs();
      const waitSocket = seen(reader.doc, again, t2);
      const answer = await overSocket.decide(second.id, "accepted");
      if (answer.status !== 200) throw new Error(`accept over the socket answered ${answer.status}: ${answer.message}`);
      acceptSocket.push(await waitSocket);
    }
    overSocket.destroy();
    return { live, accept, acceptSocket };
  } finally {
    writer.destroy();
    reader.destroy();
  }
}

async function main() {
  const rounds = Number(process.env.ROUNDS ?? 40);
  buildApp();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-suggest-"));
  const server = await startOurServer(path.join(dir, "bench.db"), path.join(dir, "server.log"), SUGGESTION_BENCH_ENV);
  try {
    const { live, accept, acceptSocket } = await suggestionLatency(server.url, rounds);
    const fmt = (v: number) => `${v.toFixed(2)} ms`;
    console.log(`| Scenario | p50 | p95 | max |\n| --- | --- | --- | --- |`);
    console.log(`| plain live edit → other client (${rounds}) | ${fmt(median(live))} | ${fmt(percentile(live, 95))} | ${fmt(Math.max(...live))} |`);
    console.log(`| accept POST → other client sees replacement (${rounds}) | ${fmt(median(accept))} | ${fmt(percentile(accept, 95))} | ${fmt(Math.max(...accept))} |`);
    console.log(`| accept over the socket → other client sees replacement (${rounds}) | ${fmt(median(acceptSocket))} | ${fmt(percentile(acceptSocket, 95))} | ${fmt(Math.max(...acceptSocket))} |`);
    console.log(`accept p50 / live p50: HTTP ${(median(accept) / median(live)).toFixed(2)}, socket ${(median(acceptSocket) / median(live)).toFixed(2)}`);
  } finally {
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
