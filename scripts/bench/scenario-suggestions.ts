// Scenario 15 of `npm run bench`: an accepted suggestion reaching another client (from the accept
// POST to the replacement in that client's document) against a plain live edit in the same run,
// by the repeated method on a fresh server per run. Ours only: the reference has no suggestions.
import { noteLine, oursLine, repeat, runList, type Scenario } from "./harness";
import { fmtMs } from "./report";
import { SUGGESTION_BENCH_ENV, suggestionLatency } from "./suggestion-latency";
import { median, percentile } from "./util";

export const suggestionsScenario: Scenario = {
  numbers: [15],
  name: "15. Suggestion accepted",
  async run(ctx) {
    const { rounds } = ctx.sizes.suggestions;
    ctx.log(`suggestion accepted vs a plain live edit, ${rounds} rounds (${ctx.method.repeat} runs)`);
    const r = await repeat(ctx, "suggestions", async () => {
      const side = await ctx.ours(SUGGESTION_BENCH_ENV);
      try {
        const { live, accept, acceptSocket } = await suggestionLatency(side.server.url, rounds);
        return {
          "ours.liveP50": median(live),
          "ours.liveP95": percentile(live, 95),
          "ours.acceptP50": median(accept),
          "ours.acceptP95": percentile(accept, 95),
          "ours.acceptMax": Math.max(...accept),
          "ours.extraP50": median(accept) - median(live),
          "ours.socketP50": median(acceptSocket),
          "ours.socketP95": percentile(acceptSocket, 95),
          "ours.socketRatio": median(acceptSocket) / median(live),
        };
      } finally {
        await side.stop();
      }
    });
    const s = "15. Suggestion accepted → other client";
    const ms = (v: number) => fmtMs(v);
    ctx.rows.push(
      oursLine(r, s, "plain live edit → other client, p50", "liveP50", ms, { reference: "n/a (no suggestions)" }),
      oursLine(r, s, "plain live edit → other client, p95", "liveP95", ms),
      oursLine(r, s, "accept POST → other client sees the replacement, p50", "acceptP50", ms),
      oursLine(r, s, "accept POST → other client sees the replacement, p95", "acceptP95", ms),
      oursLine(r, s, "accept POST → other client, max", "acceptMax", ms),
      oursLine(r, s, "accept p50 minus live edit p50 (the HTTP request, checks and the server's edit)", "extraP50", ms),
      oursLine(r, s, "accept over the open socket → other client, p50", "socketP50", ms),
      oursLine(r, s, "accept over the open socket → other client, p95", "socketP95", ms),
      oursLine(r, s, "accept over the socket p50 / live edit p50 (same run)", "socketRatio", (v) => `${v.toFixed(2)}×`),
      noteLine(r, s)
    );
    ctx.details.push(
      `Suggestions: per run, ${rounds} rounds on the demo briefing with two stock y-websocket clients (an editor writes, a commenter reads) in the benchmark process: the editor types a word (timed to the reader), the commenter suggests replacing it over HTTP, the editor accepts it over HTTP (timed from sending the POST to the reader seeing the replacement), then the commenter suggests replacing that and the editor accepts it over its open socket (timed from sending the message). The server runs with COMMENT_RATE_BURST=100000 so the comment rate limit does not refuse the bench. Accept p50 per run (ms) ${runList(r, "ours.acceptP50", 2)}.`
    );
  },
};
