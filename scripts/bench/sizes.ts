// Sizes of every scenario, full and --quick (smoke). A full run (`npm run bench`, 3 runs per
// scenario) must fit in 22 minutes on the two-core machine when it is quiet; what was trimmed for
// that, against the single-run sizes of before, is said in the method section (index.ts METHOD).
export function sizesFor(quick: boolean) {
  return quick
    ? {
        fanoutClients: [2, 16],
        fanout: { edits: 20, warmup: 5, intervalMs: 20 },
        typing: { typists: 4, edits: 20, minMs: 5, maxMs: 20 },
        history: { edits: 2_000, joins: 2 },
        churn: { briefings: 20, warmup: 3, idleMs: 1_500 },
        pdf: { warm: 1, clients: 4, renderRuns: 2, probe: { edits: 15, warmup: 3, intervalMs: 20 } },
        pageRuns: 3,
        pendingFlood: { clients: 4, updates: 300, updateBytes: 4096, gapMs: 2, edits: 20, intervalMs: 25 },
        importRuns: 2,
        suggestions: { rounds: 5 },
        postgres: { joins: 3 },
        budgetMs: 15 * 60_000,
        scale: { settleMs: 2_000, open: 20, concurrency: 10, idleMs: 2_000, historyEdits: 2_000, archive: [100, 1_000], projections: 20 },
      }
    : {
        fanoutClients: [2, 16, 64],
        fanout: { edits: 200, warmup: 20, intervalMs: 25 },
        typing: { typists: 16, edits: 300, minMs: 10, maxMs: 40 },
        history: { edits: 100_000, joins: 5 },
        churn: { briefings: 500, warmup: 5, idleMs: 10_000 },
        pdf: { warm: 5, clients: 16, renderRuns: 6, probe: { edits: 150, warmup: 20, intervalMs: 25 } },
        pageRuns: 20,
        pendingFlood: { clients: 8, updates: 600, updateBytes: 4096, gapMs: 2, edits: 40, intervalMs: 25 },
        importRuns: 4,
        suggestions: { rounds: 30 },
        postgres: { joins: 10 },
        budgetMs: 30 * 60_000,
        scale: { settleMs: 5_000, open: 500, concurrency: 50, idleMs: 10_000, historyEdits: 100_000, archive: [100, 5_000], projections: 200 },
      };
}

export type Sizes = ReturnType<typeof sizesFor>;
