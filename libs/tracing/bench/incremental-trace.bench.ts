/**
 * What one new transfer costs the proceeds tracer's rules (CPU only, no I/O): the batch re-trace of the
 * case's subgraph it used to run, against carrying the case forward from the two accounts' stored state.
 * Prints a table and writes bench-results/incremental-tracing.json.
 *
 *   npx tsx libs/tracing/bench/incremental-trace.bench.ts
 */
import os from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  PoolBook,
  applyCaseTransfer,
  traceCaseState,
  traceProceeds,
  type TaintSeed,
  type TraceEdge,
} from '@scamflow/tracing';

const lcg = (seed: number) => {
  let state = seed >>> 0;
  return (below: number): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * below);
  };
};

/** A case's subgraph: `accounts` accounts paying each other, victims' payments seeded, no overdrafts. */
const subgraphOf = (edgeCount: number, accounts: number) => {
  const next = lcg(7);
  const balances = new Array<number>(accounts).fill(0);
  const edges: TraceEdge[] = [];
  const seeds: TaintSeed[] = [];
  for (let index = 0; index < edgeCount; index += 1) {
    const to = next(accounts);
    const from = (to + 1 + next(accounts - 1)) % accounts;
    const available = balances[from] ?? 0;
    if (available < 100 || next(10) === 0) {
      const amount = 1 + next(1_000_000);
      balances[to] = (balances[to] ?? 0) + amount;
      edges.push({
        transferId: `e${index}`,
        fromKey: `in${index}`,
        toKey: `a${to}`,
        atMs: index,
        amount: BigInt(amount),
      });
      if (next(3) === 0) seeds.push({ sourceId: 'CASE', transferId: `e${index}` });
      continue;
    }
    const amount = 1 + next(available);
    balances[from] = available - amount;
    balances[to] = (balances[to] ?? 0) + amount;
    edges.push({
      transferId: `e${index}`,
      fromKey: `a${from}`,
      toKey: `a${to}`,
      atMs: index,
      amount: BigInt(amount),
    });
  }
  return { edges, seeds };
};

const timeEach = (runs: number, work: (run: number) => void): number => {
  work(0); // warm-up
  const started = performance.now();
  for (let run = 1; run <= runs; run += 1) work(run);
  return (performance.now() - started) / runs;
};

const rows = [1_000, 10_000, 50_000].map((size) => {
  const { edges, seeds } = subgraphOf(size, Math.max(20, size / 50));
  const history = edges.slice(0, -200);
  const live = edges.slice(-200);
  const seeded = new Set(seeds.map((s) => s.transferId));
  const backfill = traceCaseState({
    caseId: 'CASE',
    edges: history,
    seeds: seeds.filter((s) => history.some((e) => e.transferId === s.transferId)),
  });
  const book = new PoolBook();
  for (const e of history) book.apply(e, seeded.has(e.transferId) ? e.amount : 0n);
  const batchMs = timeEach(3, () => traceProceeds({ edges, seeds }));
  const incrementalMs = timeEach(live.length - 1, (run) => {
    const e = live[run]!;
    applyCaseTransfer({
      caseId: 'CASE',
      edge: e,
      seeded: seeded.has(e.transferId) ? e.amount : 0n,
      sender: backfill.states.get(e.fromKey),
      receiver: backfill.states.get(e.toKey),
      opening: (key) => book.opening(key),
    });
  });
  return {
    subgraphTransfers: size,
    accountsInState: backfill.states.size,
    batchRetraceMs: Number(batchMs.toFixed(2)),
    incrementalPerTransferMs: Number(incrementalMs.toFixed(4)),
    ratio: Math.round(batchMs / incrementalMs),
  };
});

console.table(rows);
const dir = join(__dirname, '..', '..', '..', 'bench-results');
mkdirSync(dir, { recursive: true });
const file = join(dir, 'incremental-tracing.json');
writeFileSync(
  file,
  `${JSON.stringify({ node: process.version, loadAverage: os.loadavg(), rows }, null, 2)}\n`,
);
console.log(`wrote ${file}`);
