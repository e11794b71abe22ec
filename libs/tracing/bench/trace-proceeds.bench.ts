/**
 * Speed of traceProceeds on seeded random subgraphs (~50k transfers). Prints a table and writes
 * bench-results/tracing.json.
 *
 *   npx tsx libs/tracing/bench/trace-proceeds.bench.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { traceProceeds, type TaintSeed, type TraceEdge } from '@scamflow/tracing';

const lcg = (seed: number) => {
  let state = seed >>> 0;
  return (below: number): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * below);
  };
};

interface Shape {
  readonly name: string;
  readonly accounts: number;
  readonly sources: number;
  /** Outflows never exceed the sender's balance (as in a real feed) unless `overdraw`. */
  readonly overdraw: boolean;
}

const EDGES = 50_000;

const SHAPES: readonly Shape[] = [
  { name: 'feed-like 2k accounts, 3 victims', accounts: 2_000, sources: 3, overdraw: false },
  { name: 'feed-like 2k accounts, 20 victims', accounts: 2_000, sources: 20, overdraw: false },
  { name: 'feed-like 200 accounts, 200 victims', accounts: 200, sources: 200, overdraw: false },
  {
    name: 'stress: random overdrawing 2k accounts, 20 victims',
    accounts: 2_000,
    sources: 20,
    overdraw: true,
  },
];

/**
 * Random transfers among `accounts`; one in 20 starts outside (a payment in, one in 4 of which is a victim's,
 * seeded). One in 10 reports the debtor's balance after it, sometimes lower than the flows explain (cash-out).
 */
const graphOf = (shape: Shape) => {
  const next = lcg(42);
  const balances = new Array<number>(shape.accounts).fill(0);
  const edges: TraceEdge[] = [];
  const seeds: TaintSeed[] = [];
  for (let index = 0; index < EDGES; index += 1) {
    const transferId = `e${index}`;
    const to = next(shape.accounts);
    const from = (to + 1 + next(shape.accounts - 1)) % shape.accounts;
    const available = balances[from] ?? 0;
    if (next(20) === 0 || (!shape.overdraw && available < 100)) {
      const amount = 1 + next(1_000_000);
      balances[to] = (balances[to] ?? 0) + amount;
      edges.push({
        transferId,
        fromKey: `ext${index}`,
        toKey: `a${to}`,
        atMs: index,
        amount: BigInt(amount),
      });
      if (next(4) === 0) seeds.push({ sourceId: `case-${next(shape.sources)}`, transferId });
      continue;
    }
    const amount = shape.overdraw ? 1 + next(1_000_000) : 1 + next(available);
    balances[from] = Math.max(0, available - amount);
    balances[to] = (balances[to] ?? 0) + amount;
    const reported = next(10) === 0 ? { debtorBalanceAfter: BigInt(next((balances[from] ?? 0) + 1)) } : {};
    if ('debtorBalanceAfter' in reported) balances[from] = Number(reported.debtorBalanceAfter);
    edges.push({
      transferId,
      fromKey: `a${from}`,
      toKey: `a${to}`,
      atMs: index,
      amount: BigInt(amount),
      ...reported,
    });
  }
  return { edges, seeds };
};

const rows = SHAPES.map((shape) => {
  const input = graphOf(shape);
  traceProceeds(input); // warm-up
  const runs: number[] = [];
  let result = traceProceeds(input);
  for (let run = 0; run < 3; run += 1) {
    const started = performance.now();
    result = traceProceeds(input);
    runs.push(performance.now() - started);
  }
  runs.sort((a, b) => a - b);
  return {
    shape: shape.name,
    edges: input.edges.length,
    seeds: input.seeds.length,
    holders: result.holders.length,
    ledgerHops: result.ledger.length,
    medianMs: Math.round(runs[1] ?? 0),
    maxMs: Math.round(runs[2] ?? 0),
  };
});

console.table(rows);
const dir = join(__dirname, '..', '..', '..', 'bench-results');
mkdirSync(dir, { recursive: true });
const file = join(dir, 'tracing.json');
writeFileSync(
  file,
  `${JSON.stringify({ node: process.version, loadAverage: os.loadavg(), rows }, null, 2)}\n`,
);
console.log(`wrote ${file}`);
