import type { OperationSizes } from './scam-operation';

export const SCENARIO_NAMES = ['demo', 'standard'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface Scenario {
  readonly name: ScenarioName;
  /** Fixed start of simulated time (never the wall clock: output must repeat byte for byte). */
  readonly startAt: string;
  readonly days: number;
  /** Background transfers over the whole run (salaries come on top); `--transfers` overrides it. */
  readonly transfers: number;
  readonly operations: number;
  readonly victimsPerOperation: readonly [number, number];
  readonly sizes: OperationSizes;
}

export const SCENARIOS: Readonly<Record<ScenarioName, Scenario>> = {
  demo: {
    name: 'demo',
    startAt: '2026-11-24T00:00:00+07:00',
    days: 3,
    transfers: 240,
    operations: 3,
    victimsPerOperation: [4, 6],
    sizes: { firstLayer: [2, 3], secondLayer: [1, 2] },
  },
  standard: {
    name: 'standard',
    startAt: '2026-11-01T00:00:00+07:00',
    days: 30,
    transfers: 100_000,
    operations: 30,
    victimsPerOperation: [5, 25],
    sizes: { firstLayer: [2, 5], secondLayer: [1, 3] },
  },
};

/** Population size for a background volume: enough people that most pairs are first-time counterparties. */
export const personCountFor = (transfers: number): number =>
  Math.min(50_000, Math.max(60, Math.floor(transfers / 15)));
