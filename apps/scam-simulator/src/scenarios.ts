import type { MuleTimeScale, OperationSizes } from './scam-operation';

export const SCENARIO_NAMES = ['demo', 'standard', 'realistic'] as const;
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
  /** Share of victims who report (default 0.85: nearly everyone, so tracing reaches every mule). */
  readonly reportShare?: number;
  /** Operations take these time scales in turn (default: minutes, today's instant-payment mules). */
  readonly muleTimeScales?: readonly MuleTimeScale[];
  /** Denser legitimate look-alikes: group collections, family top-ups, loans repaid (default: none). */
  readonly lookAlikes?: boolean;
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
  /**
   * As in life: about one victim in five reports, so tracing from reports finds only part of each operation and
   * the mule detectors must find the rest; operations forward within minutes, hours or days (in turn); and
   * ordinary people collect money for a dinner, top up a child twice a day or repay a friend, in the shapes the
   * detectors look for.
   */
  realistic: {
    name: 'realistic',
    startAt: '2026-11-01T00:00:00+07:00',
    days: 30,
    transfers: 100_000,
    operations: 30,
    victimsPerOperation: [5, 25],
    sizes: { firstLayer: [2, 5], secondLayer: [1, 3] },
    reportShare: 0.2,
    muleTimeScales: ['minutes', 'hours', 'days'],
    lookAlikes: true,
  },
};

/** Population size for a background volume: enough people that most pairs are first-time counterparties. */
export const personCountFor = (transfers: number): number =>
  Math.min(50_000, Math.max(60, Math.floor(transfers / 15)));
